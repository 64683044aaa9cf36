"""Engine and sessions for one database URL."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain `postgresql://` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Database:
    """One engine and its session factory; `upgrade()` brings the schema up to date."""

    def __init__(self, url: str, pool_size: int = 5):
        """`pool_size`: connections kept open; give it the number of threads that use the
        database at once (the web app's worker threads), so none of them waits for one."""
        self.url = normalise_url(url)
        # A few more for the background tasks that run beside the worker threads.
        pool = {"pool_size": pool_size, "max_overflow": 5}
        if self.url.startswith("sqlite:///"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
            self.engine: Engine = create_engine(
                self.url, connect_args={"check_same_thread": False, "timeout": 30}, **pool
            )
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_engine(self.url, pool_pre_ping=True, **pool)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def upgrade(self) -> None:
        """Apply the pending migrations (bot/db/migrate.py); safe with many processes."""
        from bot.db.migrate import upgrade

        upgrade(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def exclusive(self, name: str) -> Iterator[bool]:
        """Whether this process may do the work called `name` now; True holds it for the block.

        Work that must not run twice at once when several web apps share one PostgreSQL
        database (delivering queued messages, expiring the queue) takes a transaction-scoped
        advisory lock: the others skip their turn instead of waiting, and a process that dies
        releases it with its connection. A SQLite database belongs to one web app: always True.
        """
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        with self.engine.connect() as connection, connection.begin():
            taken = connection.execute(
                text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}
            ).scalar_one()
            yield bool(taken)

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the web app read while another process writes; the file survives restarts.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
