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


def _entry(entry_id: str, title: str) -> dict[str, Any]:
    return {**ENTRY, "id": entry_id, "title": title, "score": 0.5, "sources": []}


class Unsure:
    """A web app whose search hesitates between `candidates`, and knows only those entries."""

    def __init__(self, *candidates: dict[str, Any]) -> None:
        self.candidates = list(candidates)

    async def search(self, text: str, lang: str | None, *_: Any, **__: Any) -> dict[str, Any]:
        return {"decision": "clarify", "results": self.candidates, "lang": "en"}

    async def entry(self, entry_id: str, lang: str) -> dict[str, Any] | None:
        return next((e for e in self.candidates if e["id"] == entry_id), None)


def _turn(
    text: str, intent: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One message (typed, or a button's payload); the messages sent and the slots after."""
    message = {"text": text, "intent": {"name": intent}, "entities": entities or []}
    tracker = Tracker("user-1", slots, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(kb.ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN))
    after = dict(slots)
    after.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    return dispatcher.messages, after


FRESH = {"language": "en", "misses": 0.0, "handoff_state": None, "notice_shown": True}


def test_a_clarification_lists_the_candidates_and_none_of_these(monkeypatch):
    candidates = [_entry("card.fees", "Residence card fees"), _entry("trp.general", "Permits")]
    monkeypatch.setattr(kb, "get_webapp", lambda: Unsure(*candidates))
    [asked], _slots = _turn("permit card", "ask_question", FRESH)
    assert [b["title"] for b in asked["buttons"]] == [
        "Residence card fees",
        "Permits",
        "None of these",
    ]
    assert [b["payload"] for b in asked["buttons"]] == [
        kb.choice_payload("card.fees"),
        kb.choice_payload("trp.general"),
        "/none_of_these",
    ]


@pytest.mark.parametrize(
    ("lang", "question", "yes", "no"),
    [("pl", "Czy chodzi o", "Tak", "Nie"), ("en", "Did you mean", "Yes", "No"),
     ("uk", "Ви мали на увазі", "Так", "Ні"), ("ru", "Вы имели в виду", "Да", "Нет")],
)  # fmt: skip
def test_a_single_candidate_is_asked_as_did_you_mean(monkeypatch, lang, question, yes, no):
    monkeypatch.setattr(kb, "get_webapp", lambda: Unsure(_entry("card.fees", "Card fees")))
    [asked], _slots = _turn(
        "card", "ask_question", {**FRESH, "language": lang, "language_locked": True}
    )
    assert asked["text"] == f"{question}: Card fees?"
    assert asked["buttons"] == [
        {"title": yes, "payload": kb.choice_payload("card.fees")},
        {"title": no, "payload": "/none_of_these"},
    ]


def test_yes_to_did_you_mean_answers_the_entry(monkeypatch):
    monkeypatch.setattr(kb, "get_webapp", lambda: Unsure(_entry("card.fees", "Card fees")))
    chosen = [{"entity": "kb_entry", "value": "card.fees"}]
    messages, slots = _turn(kb.choice_payload("card.fees"), "choose_entry", FRESH, chosen)
    assert messages[0]["text"].startswith(ENTRY["answer"])
    assert slots["last_kb_id"] == "card.fees"


def test_none_of_these_asks_to_rephrase_and_offers_a_consultant_once_per_streak(monkeypatch):
    monkeypatch.setattr(kb, "get_webapp", lambda: Unsure())
    rephrase = DOMAIN["responses"]["utter_rephrase"][0]["text"]
    first, slots = _turn("/none_of_these", "none_of_these", FRESH)
    assert first[0]["text"] == rephrase and _offers(first) == 1
    again, slots = _turn("/none_of_these", "none_of_these", slots)
    assert again[0]["text"] == rephrase and _offers(again) == 0
    declined, _slots = _turn(
        "/none_of_these", "none_of_these", {**FRESH, "handoff_state": "declined"}
    )
    assert _offers(declined) == 0


def test_a_stale_or_forged_choice_is_a_miss(monkeypatch):
    monkeypatch.setattr(kb, "get_webapp", lambda: Unsure(_entry("card.fees", "Card fees")))
    no_match = DOMAIN["responses"]["utter_no_match"][0]["text"]
    retired = [{"entity": "kb_entry", "value": "retired.entry"}]
    messages, slots = _turn(kb.choice_payload("retired.entry"), "choose_entry", FRESH, retired)
    assert messages[0]["text"] == no_match and slots["misses"] == 1.0
    messages, _slots = _turn('/greet{"x": 1}', "greet", FRESH)
    assert messages[0]["text"] == no_match
