"""One huge message must not freeze Rasa: every channel refuses messages over the limit before
NLU runs, with the usual polite reply, and stores nothing of them."""

from __future__ import annotations

import itertools
import time

import pytest

from bot.inbound import MAX_MESSAGE_CHARS, REFUSED_PAYLOAD
from bot.web import schemas
from tests.e2e.chat import response_text
from tests.security.clients import SocketClient, rest, texts
from tests.security.test_conversation_takeover import telegram_message, user_texts

_chats = itertools.count(7_400_001)


def test_one_limit_everywhere():
    assert MAX_MESSAGE_CHARS == 1000
    assert schemas.MAX_TEXT == MAX_MESSAGE_CHARS
    limits = [
        getattr(m, "max_length", None) for m in schemas.SearchRequest.model_fields["text"].metadata
    ]
    assert MAX_MESSAGE_CHARS in limits


@pytest.mark.e2e
def test_a_3mb_rest_message_is_refused_at_once_and_not_stored(sqlite_stack, domain):
    sender = "huge-message"
    started = time.monotonic()
    messages = rest(sqlite_stack, {"sender": sender, "message": "pobyt " * 500_000}).json()
    assert time.monotonic() - started < 15
    assert response_text(domain, "utter_message_too_long", "pl") in texts(messages)
    assert user_texts(sqlite_stack, sender, at_least=1) == [REFUSED_PAYLOAD]
    # The next message is answered as usual.
    messages = rest(sqlite_stack, {"sender": sender, "message": "x" * MAX_MESSAGE_CHARS}).json()
    assert response_text(domain, "utter_message_too_long", "pl") not in texts(messages)


@pytest.mark.e2e
def test_the_web_chat_refuses_a_long_message(sqlite_stack, domain):
    client = SocketClient(sqlite_stack)
    try:
        client.say("a" * (MAX_MESSAGE_CHARS + 1), metadata={"language": "en"})
        refusal = response_text(domain, "utter_message_too_long", "en")
        client.replies(until=refusal)
    finally:
        client.close()


@pytest.mark.e2e
def test_telegram_refuses_a_long_message(sqlite_stack, telegram, domain):
    chat_id = next(_chats)
    telegram_message(sqlite_stack, chat_id, "і" * (MAX_MESSAGE_CHARS + 1))
    refusal = response_text(domain, "utter_message_too_long", "uk")
    deadline = time.monotonic() + 60
    while not any(refusal in str(m["text"]) for m in telegram.sent("sendMessage", chat_id)):
        assert time.monotonic() < deadline, telegram.sent("sendMessage", chat_id)
        time.sleep(0.2)
