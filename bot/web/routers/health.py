"""Health checks for load balancers and orchestrators.

- `/health/live`: the process answers (restart it if not); checks nothing else.
- `/health/ready` (and `/health`, for existing callers): whether to send it traffic. The
  database and the search index are required: without either it answers 503. The Rasa server
  is reported but not required: the consoles and the API work without it, and taking every
  web app out of rotation because Rasa is down would only make things worse.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response, status
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from bot.db import Database
from bot.handoff.rasa_client import RasaClient
from bot.web.deps import SearchDep

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


def _database_ok(database: Database) -> bool:
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the reason goes to the log
        log.warning("health: database unreachable", exc_info=True)
        return False
    return True


@router.get("/health/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/health")
@router.get("/health/ready")
async def ready(request: Request, response: Response, service: SearchDep) -> dict[str, object]:
    snapshot = service.snapshot
    rasa: RasaClient = request.app.state.rasa
    checks = {
        "database": "ok" if await run_in_threadpool(_database_ok, request.app.state.db) else "down",
        "index": "ok" if snapshot.searcher.index.entry_ids else "empty",
        "rasa": "ok" if await rasa.reachable() else "down",
    }
    required_ok = checks["database"] == "ok" and checks["index"] == "ok"
    if not required_ok:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return {
        "status": "ok" if required_ok else "down",
        "checks": checks,
        "entries": len(snapshot.kb.entries),
        "index": snapshot.searcher.index.kb_hash,
        "encoder": snapshot.searcher.index.encoder_name,
    }
