"""Hostile input at every edge: malformed bodies, ids and texts must neither crash nor silence.

The rule itself (`bot.inbound`) is tested directly; the web app's API with a test client; the
channels against the real stack.
"""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.inbound import (
    MAX_MESSAGE_CHARS,
    MAX_SENDER_CHARS,
    PERSONAL_DATA,
    REFUSED,
    REFUSED_PAYLOAD,
    InvalidInput,
    check_text,
    clean_text,
    client_metadata,
    inbound_message,
    input_channel,
    sender_id,
)
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.e2e.chat import response_text
from tests.fakes import FakeEncoder
from tests.security.clients import SocketClient, rest, texts

# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["x\ud800", "a\x00b", "a\x1bb", "", "   ", None, 12.5, ["a"]])
def test_invalid_sender_ids_are_refused(raw):
    with pytest.raises(InvalidInput):
        sender_id("rest", raw)


def test_sender_ids_are_namespaced_and_bounded():
    assert sender_id("telegram", 42) == "telegram:42"
    assert sender_id("rest", "test-1") == "test-1"
    # REST may not write into another channel's conversations.
    assert sender_id("rest", "telegram:42") == "rest:telegram:42"
    assert sender_id("rest", "webchat:abc") == "rest:webchat:abc"
    long = sender_id("rest", "s" * 5000)
    assert len(long) <= MAX_SENDER_CHARS and long == sender_id("rest", "s" * 5000)
    assert long != sender_id("rest", "s" * 4999)
    assert len(sender_id("webchat", "w" * 500)) <= MAX_SENDER_CHARS


def test_texts_are_normalised_by_channels_and_refused_by_the_api():
    assert clean_text(" a\x00b\x07c\ud800 \r\nd\te ") == "abc\ufffd \nd\te"
    assert check_text("Cafe\u0301\r\nok") == "Café\nok"
    for bad in ("a\ud800", "a\x00", "\x1b[31m"):
        with pytest.raises(InvalidInput):
            check_text(bad)


def test_long_unreadable_and_personal_messages_become_safe_ones():
    text, metadata = inbound_message("x" * (MAX_MESSAGE_CHARS + 1), {"language": "en"})
    assert text == REFUSED_PAYLOAD and metadata == {"language": "en", REFUSED: "too_long"}
    assert inbound_message(["not", "text"], {}) == (REFUSED_PAYLOAD, {})
    text, metadata = inbound_message("mój PESEL 90010112345, paszport AB1234567", {})
    assert "90010112345" not in text and "AB1234567" not in text and metadata[PERSONAL_DATA]
    assert inbound_message("x" * MAX_MESSAGE_CHARS, {})[0] == "x" * MAX_MESSAGE_CHARS


def test_metadata_keeps_only_a_sane_language_hint():
    assert client_metadata("x") == {} and client_metadata([1]) == {}
    assert client_metadata({"language": "uk-UA", "refused": "too_long", "x": 1}) == {
        "language": "uk-UA"
    }
    assert client_metadata({"language": "l" * 200}) == {}
    assert client_metadata({"language": "a\x00"}) == {}
    assert input_channel("x" * 40, "rest") == "rest" and input_channel("web", "rest") == "web"


# --- the web app's API ---------------------------------------------------------------------


@pytest.fixture
def api(settings):
    settings = settings.model_copy(update={"internal_token": "the-internal-token"})
    with TestClient(create_app(settings, SearchService(settings, encoder=FakeEncoder()))) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/search", '{"text": "karta\\ud800"}'),
        ("/api/search", '{"text": "karta\\u0000pobytu"}'),
        ("/api/search", '{"text": "karta", "sender_id": "a\\ud800"}'),
        ("/api/search", '{"text": "karta", "lang": "\\udfff"}'),
        ("/api/detect-language", '{"text": "\\ud800\\ud800"}'),
        ("/api/detect-language", '{"text": "a\\u0000"}'),
        ("/api/feedback", '{"kb_id": "card.fees\\u0000", "helpful": true}'),
        ("/api/feedback", '{"kb_id": "card.fees", "helpful": true, "question": "\\udc80"}'),
    ],
)
def test_api_refuses_invalid_text_with_a_clear_422(api, path, body):
    headers = {"Content-Type": "application/json", "X-Internal-Token": "the-internal-token"}
    response = api.post(path, content=body, headers=headers)
    assert response.status_code == 422
    assert "\\ud" not in response.text.lower() and "\\u0000" not in response.text
    assert response.json()["detail"][0]["msg"]


def test_a_non_ascii_internal_token_is_refused_not_an_error(api):
    headers = {"X-Internal-Token": "żółw".encode(), "Content-Type": "application/json"}
    response = api.post("/api/search", content=b'{"text": "karta"}', headers=headers)
    assert response.status_code == 403


# --- the channels, on the real stack -------------------------------------------------------

e2e = pytest.mark.e2e


def _alive(stack) -> None:
    assert stack.dead() is None
    assert httpx.get(f"{stack.config.rasa_url}/", timeout=10).status_code == 200


@e2e
@pytest.mark.parametrize(
    "raw", [b"null", b"[]", b'"x"', b"1", b"true", b"", b"{", b'{"message": "hi"}']
)
def test_rest_bodies_that_are_not_messages_get_400(sqlite_stack, raw):
    response = rest(sqlite_stack, None, raw=raw)
    assert response.status_code == 400 and response.json()["error"]
    _alive(sqlite_stack)


@e2e
@pytest.mark.parametrize("sender", ["x\ud800", "a\u0000b", "", "   "])
def test_rest_invalid_senders_get_400_and_rasa_lives(sqlite_stack, sender):
    response = rest(sqlite_stack, {"sender": sender, "message": "hi"})
    assert response.status_code == 400
    _alive(sqlite_stack)


@e2e
def test_rest_long_sender_and_channel_are_mapped_not_refused(sqlite_stack, domain):
    body = {
        "sender": "s" * 300,
        "input_channel": "c" * 64,
        "message": "Ile kosztuje karta pobytu?",
    }
    messages = rest(sqlite_stack, body).json()
    assert {"kb_id": "card.fees"} in [m.get("custom") for m in messages]
    assert response_text(domain, "utter_technical_problem", "pl") not in texts(messages)


@e2e
@pytest.mark.parametrize(
    "body",
    [
        {"message": '/choose_entry{"kb_entry":"card.nonexistent"}'},
        {"message": 12345},
        {"message": {"text": "hi"}},
        {"message": None},
        {"message": "Ile kosztuje karta pobytu?", "metadata": "not an object"},
    ],
)
def test_stale_buttons_and_odd_messages_get_a_reply(sqlite_stack, body):
    sender = f"odd-{abs(hash(str(body)))}"
    messages = rest(sqlite_stack, {"sender": sender, **body}).json()
    assert messages, "the user was left without a reply"


@e2e
def test_a_forged_button_gets_the_no_match_reply(sqlite_stack, domain):
    sender = "forged-button"
    rest(sqlite_stack, {"sender": sender, "message": "in English please"})
    messages = rest(
        sqlite_stack, {"sender": sender, "message": '/choose_entry{"kb_entry":"card.nonexistent"}'}
    ).json()
    assert response_text(domain, "utter_no_match", "en").split("\n")[0] in texts(messages)


@e2e
@pytest.mark.parametrize("session_id", ["abc\ud800", "a\u0000b", None, 42, ""])
def test_socketio_bad_sessions_get_their_own_conversation(sqlite_stack, session_id):
    client = SocketClient(sqlite_stack)
    try:
        fresh = client.session_id
        client.say("Ile kosztuje karta pobytu?", session_id=session_id)
        assert client.confirmed.get(timeout=30) not in (fresh, session_id)
        client.replies(until="kb_id")
    finally:
        client.close()
    _alive(sqlite_stack)


@e2e
@pytest.mark.parametrize("data", ["just text", None, ["a"], {"session_id": "x"}])
def test_socketio_malformed_events_do_not_stop_the_server(sqlite_stack, data):
    client = SocketClient(sqlite_stack)
    try:
        client.emit(data)
        client.say("Ile kosztuje karta pobytu?")
        client.replies(until="kb_id")
    finally:
        client.close()
    _alive(sqlite_stack)
