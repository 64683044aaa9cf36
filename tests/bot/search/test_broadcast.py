"""Knowledge-base changes announced by one web app reach the others (PostgreSQL NOTIFY)."""

from __future__ import annotations

import asyncio
import uuid

from bot.db import Database
from bot.search.broadcast import KbBroadcast

POSTGRES_URL = "postgresql://127.0.0.1:5432/test"


def test_an_announced_digest_reaches_a_listener_of_another_process():
    sender, receiver = Database(POSTGRES_URL), Database(POSTGRES_URL)
    digest = uuid.uuid4().hex
    heard: asyncio.Queue[str] = asyncio.Queue()

    async def scenario() -> str:
        listening = asyncio.create_task(KbBroadcast(receiver).listen(heard.put))
        try:
            async with asyncio.timeout(10):
                while True:  # until the listener is subscribed and hears this test's digest
                    await asyncio.to_thread(KbBroadcast(sender).announce, digest)
                    try:
                        async with asyncio.timeout(0.5):
                            while (got := await heard.get()) != digest:
                                pass
                            return got
                    except TimeoutError:
                        continue
        finally:
            listening.cancel()

    try:
        assert asyncio.run(scenario()) == digest
    finally:
        sender.dispose()
        receiver.dispose()


def test_on_sqlite_there_is_nobody_to_tell(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'faq.db'}")
    broadcast = KbBroadcast(database)
    broadcast.announce("abc")  # no error, no effect
    asyncio.run(asyncio.wait_for(broadcast.listen(lambda digest: asyncio.sleep(0)), 1))
    database.dispose()
