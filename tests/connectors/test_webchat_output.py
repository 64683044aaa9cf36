"""The web chat channel: a turn's replies only once Rasa has stored the turn, each with an id,
its language and the consultant's name; what other tabs show of a user's message."""

from __future__ import annotations

import asyncio
from typing import Any

from connectors.webchat import TurnOutput, WebChatOutput, message_id, shown_text


class RecordingServer:
    def __init__(self) -> None:
        self.emitted: list[tuple[str, dict[str, Any], str]] = []

    async def emit(self, event: str, payload: dict[str, Any], room: str) -> None:
        self.emitted.append((event, payload, room))


def test_replies_are_held_until_flushed_then_sent_in_order():
    server = RecordingServer()
    output = TurnOutput(server, "bot_uttered")  # type: ignore[arg-type]

    async def turn() -> None:
        await output.send_text_message("s1", "answer")
        await output.send_custom_json("s1", {"kb_id": "card.fees"})
        buttons = [{"title": "Tak", "payload": "/yes"}]
        await output.send_text_with_buttons("s1", "helpful?", buttons)
        assert server.emitted == []  # the turn is not stored yet
        await output.flush()

    asyncio.run(turn())
    ids = [payload.pop("id") for _, payload, _ in server.emitted]
    assert len(set(ids)) == 3  # every tab gets the same id for a message, each message its own
    assert server.emitted == [
        ("bot_uttered", {"text": "answer"}, "s1"),
        ("bot_uttered", {"custom": {"kb_id": "card.fees"}}, "s1"),
        (
            "bot_uttered",
            {"text": "helpful?", "quick_replies": [{"title": "Tak", "payload": "/yes"}]},
            "s1",
        ),
    ]
    asyncio.run(output.flush())
    assert len(server.emitted) == 3  # sent once


def _sent(message: dict[str, Any]) -> dict[str, Any]:
    """What the widget gets for one message Rasa hands the channel."""
    server = RecordingServer()
    output = WebChatOutput(server, "bot_uttered")  # type: ignore[arg-type]
    asyncio.run(output.send_response("s1", dict(message)))
    [(_, payload, _)] = server.emitted
    payload.pop("id")
    return payload


def test_every_message_says_its_language():
    # An action's message names it; the pump's consultant line names the consultant too.
    assert _sent({"text": "Вітаю", "lang": "uk"}) == {"text": "Вітаю", "lang": "uk"}
    assert _sent({"text": "Вітаю", "lang": "uk", "consultant": "Anna", "handoff_line": 3}) == {
        "text": "Вітаю",
        "lang": "uk",
        "consultant": "Anna",
    }
    # A domain response rendered by Rasa carries the condition of its variation...
    assert _sent({"text": "Hi", "lang": "en", "consultant": ""})["consultant"] == ""
    condition = [{"type": "slot", "name": "language", "value": "en"}]
    rendered = {"text": "Hi", "utter_action": "utter_greet", "condition": condition}
    assert _sent(rendered)["lang"] == "en"
    # ...and the unconditioned variation is the Polish one.
    assert _sent({"text": "Cześć", "utter_action": "utter_greet"})["lang"] == "pl"
    buttons = [{"title": "Tak", "payload": "/yes"}]
    assert _sent({"text": "OK?", "buttons": buttons, "lang": "ru"})["lang"] == "ru"


def test_other_tabs_see_the_typed_text_or_the_buttons_title_never_a_bare_payload():
    assert shown_text({"message": "  скільки коштує карта?\x00 "}) == "скільки коштує карта?"
    payload = '/choose_entry{"kb_entry": "card.fees"}'
    assert shown_text({"message": payload, "display": "Opłaty"}) == "Opłaty"
    assert shown_text({"message": '/choose_language{"language": "uk"}'}) is None
    assert shown_text({"message": 5}) is None
    assert message_id("a1b2c3") == "a1b2c3"
    assert message_id("<script>") != "<script>" and message_id(None).isalnum()
