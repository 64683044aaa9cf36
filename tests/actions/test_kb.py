"""Answering from the knowledge base: review dates, and the consultant offer once per streak."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import kb
from actions.kb import answer_text
from bot.responses import load_domain
from bot.settings import ROOT

DOMAIN = load_domain(ROOT / "domain.yml")
ENTRY = {
    "id": "card.fees",
    "answer": "100 PLN.\n\nMore: https://infoopt.pl/oplaty/",
    "reviewed": "2026-11-23",
}


@pytest.mark.parametrize(
    ("lang", "checked"),
    [("pl", "Sprawdzono"), ("en", "Checked"), ("uk", "Перевірено"), ("ru", "Проверено")],
)
def test_the_answer_ends_with_its_review_date(lang, checked):
    text = answer_text(DOMAIN, ENTRY, lang)
    assert text.startswith(ENTRY["answer"])
    assert text.endswith(f"\n\n{checked}: 23.11.2026")


class NoAnswer:
    """A web app whose knowledge base answers nothing."""

    async def search(self, text: str, lang: str | None, *_: Any, **__: Any) -> dict[str, Any]:
        return {"decision": "no_match", "results": [], "lang": "en"}


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
    events = asyncio.run(kb.ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN))
    after = dict(slots)
    after.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    return dispatcher.messages, after


def _offers(messages: list[dict[str, Any]]) -> int:
    return sum(1 for m in messages if (m.get("custom") or {}).get("handoff") == "offered")


def test_the_consultant_is_offered_once_per_streak_of_misses(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(kb, "get_webapp", NoAnswer)
    slots: dict[str, Any] = {
        "language": "en",
        "misses": 0.0,
        "handoff_state": None,
        "notice_shown": True,
    }
    first, slots = _miss(slots)
    assert _offers(first) == 1
    second, slots = _miss(slots)
    assert _offers(second) == 0
    assert any("INFO.OPT" in (m.get("text") or "") for m in second)  # still apologises
    slots["misses"] = 0.0  # an answer ends the streak
    third, _slots = _miss(slots)
    assert _offers(third) == 1
