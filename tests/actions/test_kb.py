"""Answering from the knowledge base: review dates, and the consultant offer once per streak."""

from __future__ import annotations

from typing import Any

import pytest

from actions import kb
from actions.kb import answer_text
from bot.payloads import entry_choice
from tests.actions.fakes import DOMAIN, SENDER, FakeWebApp, run, said, tracker

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


NO_MATCH = {"decision": "no_match", "results": [], "lang": "en"}
SEEN = {"language": "en", "notice_shown": True}


def _miss(slots: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One unanswerable question; the messages sent and the slots afterwards."""
    done = run(kb.ActionAnswerQuestion(), tracker("Who will win the match tonight?", slots=slots))
    return done.messages, done.slots


def _offers(messages: list[dict[str, Any]]) -> int:
    return sum(1 for m in messages if (m.get("custom") or {}).get("handoff") == "offered")


def test_the_consultant_is_offered_once_per_streak_of_misses(webapp: FakeWebApp):
    webapp.replies["/api/search"] = NO_MATCH
    slots: dict[str, Any] = {**SEEN, "misses": 0.0, "handoff_state": None}
    first, slots = _miss(slots)
    assert _offers(first) == 1
    second, slots = _miss(slots)
    assert _offers(second) == 0
    assert any("INFO.OPT" in (m.get("text") or "") for m in second)  # still apologises
    slots["misses"] = 0.0  # an answer ends the streak
    third, _slots = _miss(slots)
    assert _offers(third) == 1


def test_a_question_is_answered_in_the_language_search_detected(webapp: FakeWebApp):
    webapp.replies["/api/search"] = {"decision": "answer", "results": [ENTRY], "lang": "uk"}
    done = run(
        kb.ActionAnswerQuestion(),
        tracker("скільки коштує карта?", slots={"language": "pl", "misses": 2.0}),
    )
    [search] = webapp.requests
    assert search.body == {
        "text": "скільки коштує карта?",
        "lang": None,  # not chosen by the user: the web app detects it
        "sender_id": SENDER,
        "channel": "rest",
        "fallback_lang": "pl",
    }
    assert done.texts()[0] == said("utter_privacy_notice", "uk")  # the first turn's notice
    assert done.texts()[1] == answer_text(DOMAIN, ENTRY, "uk")
    assert {"kb_id": "card.fees"} in done.customs()
    assert done.texts()[2] == said("utter_ask_helpful", "uk")
    assert done.slots["language"] == "uk" and done.slots["notice_shown"] is True
    assert (done.slots["last_kb_id"], done.slots["misses"]) == ("card.fees", 0.0)
    assert done.slots["last_question"] == "скільки коштує карта?"


def test_a_language_the_user_chose_is_sent_to_search(webapp: FakeWebApp):
    webapp.replies["/api/search"] = {"decision": "answer", "results": [ENTRY], "lang": "ru"}
    run(kb.ActionAnswerQuestion(), tracker("karta", slots={**SEEN, "language_locked": True}))
    assert webapp.requests[0].body["lang"] == "en"


def test_an_ambiguous_question_offers_the_entries_as_buttons(webapp: FakeWebApp):
    results = [{"id": "card.fees", "title": "Fees"}, {"id": "card.time", "title": "Time"}]
    webapp.replies["/api/search"] = {"decision": "clarify", "results": results, "lang": "en"}
    done = run(kb.ActionAnswerQuestion(), tracker("card", slots=SEEN))
    [message] = done.messages
    assert message["text"] == said("utter_clarify", "en")
    assert [b["payload"] for b in message["buttons"]] == [
        '/choose_entry{"kb_entry": "card.fees"}',
        '/choose_entry{"kb_entry": "card.time"}',
        "/none_of_these",
    ]
    assert done.slots["last_kb_id"] is None


def test_a_chosen_entry_is_fetched_and_a_retired_one_is_a_miss(webapp: FakeWebApp):
    webapp.replies["/api/entries/card.fees"] = ENTRY
    choice = {"entities": [{"entity": "kb_entry", "value": "card.fees"}], "slots": SEEN}
    done = run(
        kb.ActionAnswerQuestion(),
        tracker("/choose_entry", "choose_entry", latest_action="action_set_language", **choice),
    )
    assert webapp.requests[-1].body == {"lang": "en"}
    assert done.texts()[0] == answer_text(DOMAIN, ENTRY, "en")
    choice["entities"] = [{"entity": "kb_entry", "value": "card.retired"}]
    done = run(
        kb.ActionAnswerQuestion(),
        tracker("/choose_entry", "choose_entry", latest_action="action_set_language", **choice),
    )
    assert webapp.paths()[-1] == "/api/entries/card.retired"  # 404: gone since
    assert done.texts()[0] == said("utter_no_match", "en")


def test_without_the_web_app_the_user_hears_of_a_technical_problem(webapp: FakeWebApp):
    webapp.replies["/api/search"] = 503
    done = run(kb.ActionAnswerQuestion(), tracker("Ile kosztuje karta?", slots=SEEN))
    assert done.texts() == [said("utter_technical_problem", "en")]


def test_during_a_handoff_a_question_goes_to_the_consultant_and_the_bot_is_silent(
    webapp: FakeWebApp,
):
    webapp.replies[f"/api/handoffs/{SENDER}/messages"] = {"open": True, "state": "active"}
    done = run(
        kb.ActionAnswerQuestion(),
        tracker("How long will it take?", slots={**SEEN, "handoff_state": "active"}),
    )
    assert webapp.paths() == [f"/api/handoffs/{SENDER}/messages"]
    assert webapp.requests[0].body == {"text": "How long will it take?", "ts": 1700000000.0}
    assert done.messages == []
    assert done.events == [{"event": "followup", "name": "action_listen", "timestamp": None}]


def _entry(entry_id: str, title: str) -> dict[str, Any]:
    return {**ENTRY, "id": entry_id, "title": title, "score": 0.5, "sources": []}


def _unsure(webapp: FakeWebApp, *candidates: dict[str, Any]) -> None:
    """Search hesitates between `candidates`; the web app knows only those entries."""
    webapp.replies["/api/search"] = {"decision": "clarify", "results": list(candidates),
                                     "lang": "en"}  # fmt: skip
    for entry in candidates:
        webapp.replies[f"/api/entries/{entry['id']}"] = entry


def _turn(
    text: str, intent: str, slots: dict[str, Any], entities: list[dict[str, Any]] | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One message (typed, or a button's payload); the messages sent and the slots after."""
    done = run(kb.ActionAnswerQuestion(), tracker(text, intent, slots=slots, entities=entities))
    return done.messages, done.slots


FRESH = {"language": "en", "misses": 0.0, "handoff_state": None, "notice_shown": True}


def test_a_clarification_lists_the_candidates_and_none_of_these(webapp: FakeWebApp):
    _unsure(webapp, _entry("card.fees", "Residence card fees"), _entry("trp.general", "Permits"))
    [asked], _slots = _turn("permit card", "ask_question", FRESH)
    assert [b["title"] for b in asked["buttons"]] == [
        "Residence card fees",
        "Permits",
        "None of these",
    ]
    assert [b["payload"] for b in asked["buttons"]] == [
        entry_choice("card.fees"),
        entry_choice("trp.general"),
        "/none_of_these",
    ]


@pytest.mark.parametrize(
    ("lang", "question", "yes", "no"),
    [("pl", "Czy chodzi o", "Tak", "Nie"), ("en", "Did you mean", "Yes", "No"),
     ("uk", "Ви мали на увазі", "Так", "Ні"), ("ru", "Вы имели в виду", "Да", "Нет")],
)  # fmt: skip
def test_a_single_candidate_is_asked_as_did_you_mean(webapp: FakeWebApp, lang, question, yes, no):
    _unsure(webapp, _entry("card.fees", "Card fees"))
    [asked], _slots = _turn(
        "card", "ask_question", {**FRESH, "language": lang, "language_locked": True}
    )
    assert asked["text"] == f"{question}: Card fees?"
    assert asked["buttons"] == [
        {"title": yes, "payload": entry_choice("card.fees")},
        {"title": no, "payload": "/none_of_these"},
    ]


def test_yes_to_did_you_mean_answers_the_entry(webapp: FakeWebApp):
    _unsure(webapp, _entry("card.fees", "Card fees"))
    chosen = [{"entity": "kb_entry", "value": "card.fees"}]
    messages, slots = _turn(entry_choice("card.fees"), "choose_entry", FRESH, chosen)
    assert messages[0]["text"].startswith(ENTRY["answer"])
    assert slots["last_kb_id"] == "card.fees"


def test_none_of_these_asks_to_rephrase_and_offers_a_consultant_once_per_streak(
    webapp: FakeWebApp,
):
    _unsure(webapp)
    rephrase = said("utter_rephrase", "en")
    first, slots = _turn("/none_of_these", "none_of_these", FRESH)
    assert first[0]["text"] == rephrase and _offers(first) == 1
    again, slots = _turn("/none_of_these", "none_of_these", slots)
    assert again[0]["text"] == rephrase and _offers(again) == 0
    declined, _slots = _turn(
        "/none_of_these", "none_of_these", {**FRESH, "handoff_state": "declined"}
    )
    assert _offers(declined) == 0


def test_a_stale_or_forged_choice_is_a_miss(webapp: FakeWebApp):
    _unsure(webapp, _entry("card.fees", "Card fees"))
    webapp.replies["/api/entries/retired.entry"] = 404
    no_match = said("utter_no_match", "en")
    retired = [{"entity": "kb_entry", "value": "retired.entry"}]
    messages, slots = _turn(entry_choice("retired.entry"), "choose_entry", FRESH, retired)
    assert messages[0]["text"] == no_match and slots["misses"] == 1.0
    messages, _slots = _turn('/greet{"x": 1}', "greet", FRESH)
    assert messages[0]["text"] == no_match
