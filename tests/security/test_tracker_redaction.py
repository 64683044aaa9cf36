"""Personal data sent to the bot is stored nowhere: not in Rasa's tracker store, not in the web
app's database, not in the logs — on any channel, on SQLite and PostgreSQL — and the user is
still warned about it."""

from __future__ import annotations

import itertools
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest

from tests.e2e.chat import response_text
from tests.security.clients import SocketClient, rest, texts
from tests.security.conftest import REST_TOKEN
from tests.security.test_conversation_takeover import telegram_message
from tools.devstack import Stack

pytestmark = pytest.mark.e2e
_chats = itertools.count(7_500_001)

PERSONAL = ("90010112345", "AB1234567", "WSC-II-S.6151.12345.2024")
PESEL, PASSPORT, CASE = PERSONAL
MESSAGE = f"Mój PESEL to {PESEL}, paszport {PASSPORT}, sprawa {CASE}. Ile kosztuje karta pobytu?"


def _sqlite_dump(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(str(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"'))
    finally:
        conn.close()


def _postgres_dump(url: str) -> str:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            )
        ]
        return "\n".join(
            str(row) for t in tables for row in conn.execute(f'SELECT * FROM "{t}"').fetchall()
        )


def _logs(stack: Stack) -> str:
    return "\n".join(
        p.read_text("utf-8", "replace") for p in (stack.config.var_dir / "log").glob("*.log")
    )


def _assert_warned(messages_text: str, domain, lang: str) -> None:
    assert response_text(domain, "utter_personal_data_warning", lang) in messages_text


def _assert_nowhere(dump: str) -> None:
    for value in PERSONAL:
        assert value not in dump


def test_no_channel_stores_personal_data_on_sqlite(sqlite_stack, telegram, domain):
    _assert_warned(
        texts(rest(sqlite_stack, {"sender": "pii-rest", "message": MESSAGE}).json()), domain, "pl"
    )

    client = SocketClient(sqlite_stack)
    try:
        client.say(MESSAGE)
        warning = response_text(domain, "utter_personal_data_warning", "pl")
        client.replies(until=warning)
        client.replies(until="quick_replies")  # the answer's "did it help?" or the choices
    finally:
        client.close()

    chat_id = next(_chats)
    telegram_message(sqlite_stack, chat_id, MESSAGE)
    warning = response_text(domain, "utter_personal_data_warning", "pl")
    deadline = time.monotonic() + 60
    # The answer ends with the "did this help?" buttons.
    while not any(m.get("reply_markup") for m in telegram.sent("sendMessage", chat_id)):
        assert time.monotonic() < deadline, telegram.sent("sendMessage", chat_id)
        time.sleep(0.2)
    sent = "\n".join(str(m["text"]) for m in telegram.sent("sendMessage", chat_id))
    assert warning.split("(")[0] in sent

    var = sqlite_stack.config.var_dir
    _assert_nowhere(_sqlite_dump(var / "tracker.db"))
    _assert_nowhere(_sqlite_dump(var / "faq.db"))
    _assert_nowhere(_logs(sqlite_stack))


def test_no_channel_stores_personal_data_on_postgresql(postgres_stack, postgres_url, domain):
    messages = rest(postgres_stack, {"sender": "pii-rest", "message": MESSAGE}, token=REST_TOKEN)
    _assert_warned(texts(messages.json()), domain, "pl")
    client = SocketClient(postgres_stack)
    try:
        client.say(MESSAGE)
        client.replies(until="quick_replies")
    finally:
        client.close()
    _assert_nowhere(_postgres_dump(postgres_url))
    _assert_nowhere(_logs(postgres_stack))
