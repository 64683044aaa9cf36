"""Knowledge-base changes told to every web app sharing the database (`REPLICAS`).

The web app that saved a curator's edit refreshes its own index at once; the others would
notice the new files only at their next poll. On PostgreSQL the saving web app sends a
`NOTIFY` with the files' digest, and every web app `LISTEN`s and refreshes when the digest is
not the one it serves, so an edit is live everywhere within about a second. The poll stays as
the safety net (a lost notification, a listener reconnecting). SQLite: one web app, nothing to
tell.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.db import Database

log = logging.getLogger(__name__)

CHANNEL = "faq_kb_changed"
RECONNECT_SECONDS = 2.0


class KbBroadcast:
    """Announces and receives knowledge-base changes over PostgreSQL's LISTEN/NOTIFY."""

    def __init__(self, database: Database):
        self.database = database
        self.enabled = database.engine.dialect.name == "postgresql"

    def announce(self, digest: str) -> None:
        """Tell the other web apps that the files now have `digest` (blocking: thread pool)."""
        if not self.enabled:
            return
        with self.database.engine.connect() as connection:
            connection.execute(text("SELECT pg_notify(:channel, :digest)"), {
                "channel": CHANNEL, "digest": digest,
            })  # fmt: skip
            connection.commit()

    async def listen(self, on_change: Callable[[str], Awaitable[None]]) -> None:
        """Call `on_change(digest)` for every announcement, until cancelled."""
        if not self.enabled:
            return
        url = make_url(self.database.url).set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    async for notice in connection.notifies():
                        await on_change(notice.payload)
            except (psycopg.Error, OSError):
                # The poll covers the gap; the URL is not logged (it may hold a password).
                log.warning("knowledge-base change listener lost its connection; reconnecting")
                await asyncio.sleep(RECONNECT_SECONDS)
