"""Dependencies injected into the routes, and the one rule for route concurrency.

A route that does blocking work — takes a database session, hashes, parses an upload,
searches, reads files — is a plain `def`: FastAPI runs it in its thread pool, so the event
loop keeps serving everyone else. `async def` is only for routes that never block.
`tests/security/test_route_concurrency.py` enforces it. Dependencies that only read the
app's state are `async` for the same reason: a sync one costs a trip to the thread pool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from bot.curation.store import KbStore
from bot.db import Database
from bot.lang import LanguageDetector
from bot.search.service import SearchService
from bot.settings import Settings
from bot.web.i18n import gettext_for


async def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings


async def get_search(request: Request) -> SearchService:
    return request.app.state.search


async def get_detector(request: Request) -> LanguageDetector:
    return request.app.state.detector


async def get_store(request: Request) -> KbStore:
    return request.app.state.kb_store


async def get_database(request: Request) -> Database:
    return request.app.state.db


async def get_form(request: Request) -> FormData:
    """The request's form, read on the event loop for `def` routes that take it whole."""
    return await request.form()


async def get_gettext(request: Request) -> Callable[[str], str]:
    return gettext_for(request)


def get_db(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.db
    with database.session() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
SearchDep = Annotated[SearchService, Depends(get_search)]
DetectorDep = Annotated[LanguageDetector, Depends(get_detector)]
# Committed before the response is sent: a browser following a redirect (after login, say)
# or a client reading right after a write must see what the request wrote.
DbDep = Annotated[Session, Depends(get_db, scope="function")]
StoreDep = Annotated[KbStore, Depends(get_store)]
FormDep = Annotated[FormData, Depends(get_form)]
GettextDep = Annotated[Callable[[str], str], Depends(get_gettext)]
"""`gettext` in the console's language, for messages built in route code."""
DatabaseDep = Annotated[Database, Depends(get_database)]
"""For work that commits its own transactions (login throttling)."""
