"""What the chat widget suggests when its panel opens: the most asked entries.

Public, for any origin: the widget runs on the office's pages for anyone who opens it. It
shows only the titles of published entries, counted over everyone's questions, nothing about
any one conversation. Every page view asks, so the count is kept for `CACHE_SECONDS`; the
titles come from the current knowledge base, in the requested language.
"""

from __future__ import annotations

import math
import threading
import time
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from bot.curation.dashboard import most_asked
from bot.db import Database
from bot.kb.model import OTHER_OFFICES_AREAS
from bot.payloads import START_FINDER, entry_choice
from bot.web.deps import DatabaseDep, SearchDep, SettingsDep
from bot.web.schemas import Lang, TopicOut, TopicsOut

router = APIRouter(prefix="/api/widget", tags=["widget"])

TOPICS = 4
PERIOD_DAYS = 30
CACHE_SECONDS = 60.0


class MostAsked:
    """The most asked entry ids, counted again at most every `ttl` seconds."""

    def __init__(self, ttl: float = CACHE_SECONDS):
        self._ttl = ttl
        self._lock = threading.Lock()
        self._ids: list[str] = []
        self._counted = -math.inf

    def ids(self, database: Database) -> list[str]:
        with self._lock:
            stale = time.monotonic() - self._counted >= self._ttl
            if stale:  # one request counts; the others serve the last count meanwhile
                self._counted = time.monotonic()
        if stale:
            # More than shown: some may have been retired or be another office's since.
            with database.session() as db:
                self._ids = most_asked(db, PERIOD_DAYS, 3 * TOPICS)
        return list(self._ids)


async def get_most_asked(request: Request) -> MostAsked:
    return request.app.state.most_asked


MostAskedDep = Annotated[MostAsked, Depends(get_most_asked)]


@router.get("/topics", response_model=TopicsOut)
def topics(
    response: Response,
    search: SearchDep,
    database: DatabaseDep,
    counted: MostAskedDep,
    settings: SettingsDep,
    lang: Lang = "pl",
) -> TopicsOut:
    """The most asked entries, topped up with the curated defaults while traffic is thin."""
    kb = search.kb
    wanted = dict.fromkeys(counted.ids(database) + settings.widget_topic_ids)
    entries = [
        entry
        for i in wanted
        if (entry := kb.get(i)) is not None and entry.area not in OTHER_OFFICES_AREAS
    ][:TOPICS]
    response.headers["access-control-allow-origin"] = "*"
    response.headers["cache-control"] = f"public, max-age={int(CACHE_SECONDS)}"
    return TopicsOut(
        lang=lang,
        topics=[
            TopicOut(id=e.id, title=e.text(lang).title, payload=entry_choice(e.id)) for e in entries
        ],
        finder_payload=START_FINDER,
    )
