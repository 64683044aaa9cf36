"""The web chat channel sends a turn's replies only once Rasa has stored the turn."""

from __future__ import annotations

import asyncio
from typing import Any

from connectors.webchat import TurnOutput


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
