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
from bot.lang import LanguageDetector, lexicon_from_nlu
from bot.search.service import SearchService
from bot.settings import ROOT, Settings, get_settings
from bot.web.routers import auth, feedback, health, language, pages, search
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
        watcher = asyncio.create_task(_watch_kb(service, settings.kb_poll_seconds))
        try:
            yield
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
            database.dispose()

    app = FastAPI(title="INFO.OPT FAQ assistant", lifespan=lifespan)
    for module in (health, search, feedback, language, pages, auth):
        app.include_router(module.router)
    app.include_router(staff_router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
