"""`Database.exclusive`: work that one web app at a time may do, when several share a database."""

from __future__ import annotations

import uuid

from bot.db import Database

POSTGRES_URL = "postgresql://127.0.0.1:5432/test"


def test_on_postgresql_one_holder_at_a_time_and_released_after_the_block():
    first, second = Database(POSTGRES_URL), Database(POSTGRES_URL)
    name = f"work-{uuid.uuid4().hex}"
    try:
        with first.exclusive(name) as mine:
            assert mine
            with second.exclusive(name) as theirs:
                assert not theirs  # skipped, not waited for
            with second.exclusive(f"{name}-other") as other:
                assert other  # other work is not held up
        with second.exclusive(name) as theirs:
            assert theirs
    finally:
        first.dispose()
        second.dispose()


def test_on_sqlite_the_only_web_app_always_may(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'faq.db'}")
    with database.exclusive("work") as mine, database.exclusive("work") as again:
        assert mine and again
    database.dispose()
