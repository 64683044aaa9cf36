"""Taking over someone else's conversation: by asking the web chat for their id, by naming it
over REST, or by using the REST channel where it is meant to be closed."""

from __future__ import annotations

import itertools
import time
from typing import Any

import httpx
import pytest

from tests.fake_telegram import TELEGRAM_SECRET, FakeTelegram
from tests.security.clients import SocketClient, rest
from tests.security.conftest import REST_TOKEN
from tools.devstack import Stack

pytestmark = pytest.mark.e2e
_chats = itertools.count(7_300_001)


def telegram_message(stack: Stack, chat_id: int, text: str) -> None:
    update = {
        "update_id": chat_id * 10 + int(time.monotonic() * 1000) % 10,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Olena"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Olena", "language_code": "uk"},
            "text": text,
        },
    }
    response = httpx.post(
        f"{stack.config.rasa_url}/webhooks/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
        timeout=30,
    )
    assert response.status_code == 200


def wait_for_reply(telegram: FakeTelegram, chat_id: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not telegram.sent("sendMessage", chat_id):
        assert time.monotonic() < deadline, "no Telegram reply"
        time.sleep(0.2)


def user_texts(stack: Stack, sender: str, at_least: int = 0, timeout: float = 30) -> list[str]:
    """The user messages in `sender`'s tracker, once there are `at_least` of them.

    Rasa stores a turn after it has sent the replies, so a reply can come before its turn is
    in the tracker store.
    """
    deadline = time.monotonic() + timeout
    while True:
        found = _user_texts(stack, sender)
        if len(found) >= at_least:
            return found
        assert time.monotonic() < deadline, f"{sender}: {found}"
        time.sleep(0.2)


def _user_texts(stack: Stack, sender: str) -> list[str]:
    response = httpx.get(
        f"{stack.config.rasa_url}/conversations/{sender}/tracker",
        params={"token": stack.config.rasa_token},
        timeout=30,
    )
    response.raise_for_status()
    events: list[dict[str, Any]] = response.json()["events"]
    return [str(e.get("text")) for e in events if e.get("event") == "user"]


def test_the_web_chat_does_not_hand_out_a_telegram_users_conversation(sqlite_stack, telegram):
    chat_id = next(_chats)
    telegram_message(sqlite_stack, chat_id, "скільки коштує карта побиту?")
    wait_for_reply(telegram, chat_id)
    victim = f"telegram:{chat_id}"
    user_texts(sqlite_stack, victim, at_least=1)

    for forged in (str(chat_id), victim, "0" * 32 + "." + "0" * 32):
        attacker = SocketClient(sqlite_stack, session_id=forged)
        try:
            assert attacker.session_id != forged
            attacker.say("ATTACK: end the consultation", session_id=forged)
            attacker.replies(until="text")
        finally:
            attacker.close()
    assert not any("ATTACK" in t for t in user_texts(sqlite_stack, victim))


def test_a_session_id_the_server_issued_is_kept(sqlite_stack):
    first = SocketClient(sqlite_stack)
    first.close()
    again = SocketClient(sqlite_stack, session_id=first.session_id)
    again.close()
    assert again.session_id == first.session_id


def test_rest_cannot_write_into_other_channels_conversations(sqlite_stack, telegram):
    chat_id = next(_chats)
    telegram_message(sqlite_stack, chat_id, "привіт")
    wait_for_reply(telegram, chat_id)
    user_texts(sqlite_stack, f"telegram:{chat_id}", at_least=1)
    response = rest(sqlite_stack, {"sender": f"telegram:{chat_id}", "message": "ATTACK"})
    assert response.status_code == 200
    assert not any("ATTACK" in t for t in user_texts(sqlite_stack, f"telegram:{chat_id}"))


def test_the_rest_channel_requires_its_token_when_one_is_set(postgres_stack):
    body = {"sender": "token-check", "message": "Ile kosztuje karta pobytu?"}
    assert rest(postgres_stack, body).status_code == 403
    assert rest(postgres_stack, body, token="wrong").status_code == 403
    assert rest(postgres_stack, body, token="żółw-token").status_code == 403
    answered = rest(postgres_stack, body, token=REST_TOKEN)
    assert answered.status_code == 200 and answered.json()
