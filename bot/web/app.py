"""The web app: `uvicorn bot.web.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from bot.curation.store import KbStore
from bot.db import Database
from bot.finder.service import FinderService
from bot.handoff.hours import OfficeHours
from bot.handoff.pump import HandoffPump
from bot.handoff.rasa_client import RasaClient
from bot.lang import LanguageDetector, lexicon_from_nlu
from bot.responses import load_domain
from bot.search.service import SearchService
from bot.settings import ROOT, Settings, get_settings
from bot.web.routers import (
    auth,
    consultant,
    feedback,
    finder,
    handoffs,
    health,
    language,
    pages,
    search,
)
from bot.web.security import LoginRequired
from bot.web.staff import router as staff_router

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


async def _watch_kb(service: SearchService, every: float) -> None:
    """Swap in a new index whenever the knowledge-base files change."""
    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(service.refresh)
        except Exception:  # the watcher must outlive one bad rebuild
            log.exception("knowledge-base refresh failed; keeping the current index")


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if exc.api:
        return JSONResponse({"detail": "login required"}, status.HTTP_401_UNAUTHORIZED)
    return RedirectResponse(f"/login?next={exc.next_path}", status.HTTP_303_SEE_OTHER)


def create_app(
    settings: Settings | None = None, search_service: SearchService | None = None
) -> FastAPI:
    """Build the app; heavy resources load in the lifespan, not here."""
    settings = settings or get_settings()
    # A typo in the working hours must stop the start-up, not surface in the first handoff.
    hours = OfficeHours.parse(settings.handoff_hours, settings.handoff_timezone)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = search_service or SearchService(settings)
        detector = LanguageDetector(lexicon_from_nlu(sorted((ROOT / "data" / "nlu").glob("*.yml"))))
        database = Database(settings.db_url)
        await run_in_threadpool(database.create_all)
        await run_in_threadpool(service.warm_up)
        await run_in_threadpool(detector.warm_up)
        app.state.settings = settings
        app.state.search = service
        app.state.detector = detector
        app.state.db = database
        app.state.kb_store = KbStore(settings.kb_dir)
        app.state.finder = FinderService(settings.finder_file, lambda: service.kb.ids)
        app.state.hours = hours
        app.state.domain = load_domain(settings.domain_path)
        rasa = RasaClient(settings.rasa_url, settings.rasa_auth_token)
        app.state.pump = HandoffPump(
            database, rasa, app.state.domain, hours, settings.handoff_claim_timeout
        )
        tasks = [
            asyncio.create_task(_watch_kb(service, settings.kb_poll_seconds)),
            asyncio.create_task(app.state.pump.run(settings.handoff_poll_seconds)),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await rasa.aclose()
            database.dispose()

    app = FastAPI(title="INFO.OPT FAQ assistant", lifespan=lifespan)
    for module in (health, search, feedback, language, pages, auth, handoffs, consultant, finder):
        app.include_router(module.router)
    app.include_router(staff_router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
