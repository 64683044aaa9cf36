"""Answering from the knowledge base: the consultant offer once per streak of misses."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import kb


class NoAnswer:
    """A web app whose knowledge base answers nothing."""

    async def search(self, text: str, lang: str, sender: str, channel: str) -> dict[str, Any]:
        return {"decision": "no_match", "results": []}


def _miss(slots: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One unanswerable question; the messages sent and the slots afterwards."""
    tracker = Tracker(
        "user-1",
        slots,
        {"text": "Who will win the match tonight?", "intent": {"name": "ask_question"}},
        [],
        False,
        None,
        {},
        "action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(kb.ActionAnswerQuestion().run(dispatcher, tracker, {}))
    after = dict(slots)
    after.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    return dispatcher.messages, after


def _offers(messages: list[dict[str, Any]]) -> int:
    return sum(1 for m in messages if m.get("response") == "utter_offer_handoff")


def test_the_consultant_is_offered_once_per_streak_of_misses(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(kb, "get_webapp", NoAnswer)
    slots: dict[str, Any] = {"language": "en", "misses": 0.0, "handoff_state": None}
    first, slots = _miss(slots)
    assert _offers(first) == 1
    second, slots = _miss(slots)
    assert _offers(second) == 0
    assert any(m.get("response") == "utter_no_match" for m in second)  # still apologises
    slots["misses"] = 0.0  # an answer ends the streak
    third, _slots = _miss(slots)
    assert _offers(third) == 1
