"""The permit finder's action: a free question in the middle, and the checklist's dates."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import finder, kb
from bot import metrics
from bot.responses import load_domain
from bot.settings import ROOT

DOMAIN = load_domain(ROOT / "domain.yml")
CARD = {
    "id": "card.fees",
    "title": "Card fees",
    "answer": "100 PLN.",
    "reviewed": "2026-11-23",
    "score": 0.9,
    "sources": [],
}


class WebApp:
    """The finder does not recognise the message (or ends with `result`); search answers."""

    def __init__(self, result: dict[str, Any] | None = None) -> None:
        self.result = result

    async def finder_step(self, body: dict[str, Any]) -> dict[str, Any]:
        if self.result is None:
            return {"matched": False}
        return {"matched": True, "answers": ["a"], "question": None, "result": self.result}

    async def search(self, text: str, lang: str | None, *_: Any, **__: Any) -> dict[str, Any]:
        return {"decision": "answer", "results": [CARD], "lang": "en"}


def _run(text: str, intent: str, web_app: WebApp, monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    monkeypatch.setattr(finder, "get_webapp", lambda: web_app)
    monkeypatch.setattr(kb, "get_webapp", lambda: web_app)
    slots = {"language": "en", "finder_active": True, "finder_answers": ["a"]}
    message = {"text": text, "intent": {"name": intent}, "entities": []}
    # As the rules run it: after action_set_language opened the turn.
    tracker = Tracker("user-1", slots, message, [], False, None, {}, "action_set_language")
    dispatcher = CollectingDispatcher()
    asyncio.run(finder.ActionFinder().run(dispatcher, tracker, DOMAIN))
    return dispatcher.messages


def _runs(action: str) -> float:
    return metrics.REGISTRY.get_sample_value("faq_action_seconds_count", {"action": action}) or 0


def test_a_free_question_is_answered_within_the_finders_own_run(monkeypatch):
    before = _runs("action_answer_question"), _runs("action_finder")
    messages = _run("how much is the card?", "ask_question", WebApp(), monkeypatch)
    assert messages[0]["text"].startswith("100 PLN.")
    assert messages[-1]["text"] == DOMAIN["responses"]["utter_finder_resume_offer"][0]["text"]
    # One action ran, and is counted once: the answer is no second action run.
    assert (_runs("action_answer_question"), _runs("action_finder")) == (before[0], before[1] + 1)


def test_the_checklist_dates_its_items_like_the_answers(monkeypatch):
    result = {"items": [CARD], "entries": ["card.fees"], "url": "http://web/finder/checklist"}
    messages = _run(
        '/finder_answer{"finder_choice": "q:a"}', "finder_answer", WebApp(result), monkeypatch
    )
    [item] = [m for m in messages if "Card fees" in (m.get("text") or "")]
    assert item["text"].endswith(": 23.11.2026")
    assert "23.11.2026" in kb.answer_text(DOMAIN, CARD, "en")
