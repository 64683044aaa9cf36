"""The web app: `uvicorn bot.web.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from bot import metrics
from bot.curation.store import KbStore
from bot.db import Database
from bot.db.engine import normalise_url
from bot.finder.service import FinderService
from bot.handoff.hours import OfficeHours
from bot.handoff.pump import HandoffPump
from bot.handoff.rasa_client import RasaClient
from bot.lang import LanguageDetector, lexicon_from_nlu
from bot.responses import load_domain
from bot.search.broadcast import KbBroadcast
from bot.search.service import SearchService
from bot.settings import Settings, get_settings
from bot.web.headers import SecurityHeaders
from bot.web.i18n import RememberLocale, gettext_for
from bot.web.invalid import invalid_request
from bot.web.observability import RequestContextMiddleware
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
    widget,
)
from bot.web.routers import metrics as metrics_router
from bot.web.security import (
    LoginRequired,
    RoleRefused,
    hashing_slots,
    proxy_networks,
    restore_detached,
)
from bot.web.staff import router as staff_router
from bot.web.staff.common import render

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


async def _watch_kb(service: SearchService, every: float) -> None:
    """Swap in a new index whenever the knowledge-base files change."""
    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(service.refresh)
        except Exception:  # the watcher must outlive one bad rebuild
            metrics.ERRORS.labels(where="kb_refresh").inc()
            log.exception("knowledge-base refresh failed; keeping the current index")


async def _follow_kb(service: SearchService, broadcast: KbBroadcast) -> None:
    """Swap in a new index as soon as another web app announces a knowledge-base change."""

    async def changed(digest: str) -> None:
        if digest != service.snapshot.files_digest:
            try:
                await run_in_threadpool(service.refresh)
            except Exception:  # the listener must outlive one bad rebuild
                log.exception("knowledge-base refresh failed; keeping the current index")

    await broadcast.listen(changed)


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if exc.api:
        _ = gettext_for(request)
        return JSONResponse({"detail": _("login required")}, status.HTTP_401_UNAUTHORIZED)
    return RedirectResponse(f"/login?next={exc.next_path}", status.HTTP_303_SEE_OTHER)


def open_database(settings: Settings) -> Database:
    """The database, its schema migrated to head; an unusable one stops the start-up with one line.

    Raises:
        SystemExit: when the database cannot be reached or opened (a traceback would bury
            the reason under framework frames).
    """
    try:
        database = Database(settings.db_url, pool_size=settings.worker_threads)
        database.upgrade()
    except (SQLAlchemyError, OSError) as exc:  # OSError: a SQLite folder it cannot create
        reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
        where = make_url(normalise_url(settings.db_url)).render_as_string(hide_password=True)
        log.critical("cannot use the database %s: %s", where, reason)
        raise SystemExit(1) from None
    return database


async def _role_refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RoleRefused)
    restore_detached(request)
    if exc.api:
        detail = exc.translated(gettext_for(request))
        return JSONResponse({"detail": detail}, status.HTTP_403_FORBIDDEN)
    return render(request, "staff/forbidden.html", {}, status_code=status.HTTP_403_FORBIDDEN)


def create_app(
    settings: Settings | None = None, search_service: SearchService | None = None
) -> FastAPI:
    """Build the app; heavy resources load in the lifespan, not here."""
    settings = settings or get_settings()
    # A typo in the working hours must stop the start-up, not surface in the first handoff.
    hours = OfficeHours.parse(settings.handoff_hours, settings.handoff_timezone)
    proxy_networks(settings.trusted_proxies)  # likewise a malformed FAQ_TRUSTED_PROXIES
    database = open_database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        service = search_service or SearchService(settings)
        detector = LanguageDetector(lexicon_from_nlu(sorted(settings.nlu_dir.glob("*.yml"))))
        # Blocking routes run in this many threads; the database pool has a connection each.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        await run_in_threadpool(service.warm_up)
        await run_in_threadpool(detector.warm_up)
        app.state.settings = settings
        app.state.hashing_slots = hashing_slots()
        app.state.search = service
        app.state.detector = detector
        app.state.db = database
        app.state.kb_store = KbStore(settings.kb_dir)
        app.state.finder = FinderService(settings.finder_file, lambda: service.kb.ids)
        app.state.hours = hours
        app.state.most_asked = widget.MostAsked()
        app.state.domain = load_domain(settings.domain_path)
        rasa = RasaClient(settings.rasa_url, settings.rasa_auth_token)
        app.state.rasa = rasa
        app.state.pump = HandoffPump(
            database, rasa, app.state.domain, hours, settings.handoff_claim_timeout
        )
        broadcast = KbBroadcast(database)
        service.announce = broadcast.announce
        tasks = [
            asyncio.create_task(_watch_kb(service, settings.kb_poll_seconds)),
            asyncio.create_task(_follow_kb(service, broadcast)),
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

    docs = settings.api_docs  # the API's map helps an attacker more than a user: off by default
    app = FastAPI(
        title="INFO.OPT FAQ assistant",
        lifespan=lifespan,
        docs_url="/docs" if docs else None,
        redoc_url=None,
        openapi_url="/openapi.json" if docs else None,
    )
    for module in (
        health,
        search,
        feedback,
        language,
        pages,
        auth,
        handoffs,
        consultant,
        finder,
        widget,
    ):
        app.include_router(module.router)
    app.include_router(staff_router)
    app.include_router(metrics_router.router)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(RoleRefused, _role_refused)
    app.add_middleware(RememberLocale, secure=settings.cookie_secure)
    app.add_middleware(SecurityHeaders, rasa_public_url=settings.rasa_public_url)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(RequestContextMiddleware)
    return app
