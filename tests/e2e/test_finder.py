"""The permit finder on the real stack: paths over REST in four languages, typed answers,
leaving and resuming, a handoff from the middle, and Telegram's /finder (issue #16)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.finder import load_tree, walk
from bot.kb.loader import load_kb
from bot.settings import ROOT
from tests.e2e.chat import Chat, customs, first_paragraph, handoff_replies, response_text, texts
from tests.e2e.test_telegram import message_update, post, wait_for_text

pytestmark = pytest.mark.e2e

START = {
    "pl": "jakiego zezwolenia potrzebuję?",
    "en": "which permit do I need?",
    "uk": "який дозвіл мені потрібен?",
    "ru": "какое разрешение мне нужно?",
}


@pytest.fixture(scope="module")
def tree():
    return load_tree(ROOT / "data" / "finder.yml", load_kb(ROOT / "data" / "kb").ids)


def buttons(messages: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for m in messages for b in m.get("buttons", [])]


def press(chat: Chat, messages: list[dict[str, Any]], option: str) -> list[dict[str, Any]]:
    """Press the button of `option` among the finder's buttons in `messages`."""
    for button in buttons(messages):
        if button["payload"].startswith("/finder_answer"):
            choice = json.loads(button["payload"].removeprefix("/finder_answer"))
            if choice["finder_choice"].endswith(f":{option}"):
                return chat.say(button["payload"])
    raise AssertionError(f"no button for {option}: {buttons(messages)}")


def asked(tree, lang: str, answers: list[str]) -> str:
    return walk(tree, answers).question.text[lang]


def assert_checklist(messages, domain, tree, lang: str, answers: list[str]) -> None:
    """The end: the entries' answers, the caution, the offer, and the payload last."""
    expected = list(walk(tree, answers).result)
    assert messages[-1]["custom"] == {"finder": {"entries": expected}}
    reply = texts(messages)
    assert response_text(domain, "utter_finder_result", lang) in reply
    assert response_text(domain, "utter_finder_disclaimer", lang) in reply
    assert {"handoff": "offered"} in customs(messages)
    assert "/finder/checklist?lang=" + lang in reply
    assert "https://" in reply  # the entries' sources


PATHS = [
    ("pl", ["work", "other", "employer", "visa"]),
    ("en", ["work", "other", "employer", "card"]),
    ("uk", ["work", "other", "employer", "abroad"]),
    ("ru", ["work", "other", "blue_card", "poland"]),
    ("en", ["work", "other", "blue_card", "abroad"]),
    ("pl", ["work", "other", "company"]),
    ("uk", ["work", "ukraine", "cukr"]),
    ("pl", ["study", "poland"]),
    ("ru", ["study", "abroad"]),
    ("en", ["family"]),
    ("uk", ["business"]),
    ("pl", ["long_term", "under_five"]),
    ("ru", ["long_term", "five_or_more"]),
    ("uk", ["ukraine", "protection"]),
    ("en", ["ukraine", "work"]),
]


@pytest.mark.parametrize(
    ("lang", "answers"), PATHS, ids=[f"{lang}-{'-'.join(a)}" for lang, a in PATHS]
)
def test_a_path_by_buttons_ends_in_the_checklist(chat, domain, tree, lang, answers):
    messages = chat.say(START[lang])
    assert response_text(domain, "utter_finder_intro", lang) in texts(messages)
    for n, option in enumerate(answers):
        assert asked(tree, lang, answers[:n]) in texts(messages)
        messages = press(chat, messages, option)
    assert_checklist(messages, domain, tree, lang, answers)


def test_the_widget_button_payload_starts_it_and_typed_answers_are_understood(chat, domain, tree):
    chat.say("Привіт")  # the language comes from the conversation
    messages = chat.say("/start_finder")
    assert asked(tree, "uk", []) in texts(messages)
    messages = chat.say("я хочу працювати")
    assert asked(tree, "uk", ["work"]) in texts(messages)
    messages = chat.say("інше")
    assert asked(tree, "uk", ["work", "other"]) in texts(messages)
    messages = chat.say("у роботодавця")
    assert asked(tree, "uk", ["work", "other", "employer"]) in texts(messages)
    messages = chat.say("маю карту побиту")
    assert_checklist(messages, domain, tree, "uk", ["work", "other", "employer", "card"])


def test_a_free_question_is_answered_then_the_finder_resumes_where_it_was(chat, domain, tree):
    press(chat, chat.say(START["uk"]), "work")
    free = chat.say("скільки коштує карта побиту?")
    assert {"kb_id": "card.fees"} in customs(free)
    assert response_text(domain, "utter_finder_resume_offer", "uk") in texts(free)
    assert "/finder_resume" in [b["payload"] for b in buttons(free)]
    # Paused: the next question goes to the knowledge base without a new offer.
    again = chat.say("скільки коштує карта побиту?")
    assert {"kb_id": "card.fees"} in customs(again)
    assert response_text(domain, "utter_finder_resume_offer", "uk") not in texts(again)
    resumed = chat.say("/finder_resume")
    assert asked(tree, "uk", ["work"]) in texts(resumed)
    messages = press(chat, resumed, "ukraine")
    messages = press(chat, messages, "protection")
    assert_checklist(messages, domain, tree, "uk", ["work", "ukraine", "protection"])


def test_an_earlier_button_changes_that_answer_and_stop_closes_the_finder(chat, domain, tree):
    first = chat.say(START["ru"])
    second = press(chat, first, "study")
    assert asked(tree, "ru", ["study"]) in texts(second)
    changed = press(chat, first, "long_term")  # the first question's button, pressed again
    assert asked(tree, "ru", ["long_term"]) in texts(changed)
    stopped = chat.say("/finder_stop")
    assert response_text(domain, "utter_finder_stopped", "ru") in texts(stopped)
    # Closed: a typed option word is an ordinary question again.
    assert response_text(domain, "utter_finder_resume_offer", "ru") not in texts(
        chat.say("сколько стоит карта побыту?")
    )


def test_a_handoff_from_the_middle_then_back_to_the_finder(chat, domain, tree):
    studies = press(chat, chat.say(START["pl"]), "study")
    assert asked(tree, "pl", ["study"]) in texts(studies)
    handoff = chat.say("chcę rozmawiać z człowiekiem")
    [payload] = [c for c in customs(handoff) if "handoff" in c]
    assert payload["handoff"] in ("queued", "ticket")
    assert handoff_replies(domain, "pl")[payload["handoff"]] in texts(handoff)
    ended = chat.say("nie potrzebuję już pomocy")
    assert response_text(domain, "utter_handoff_ended", "pl") in texts(ended)
    resumed = chat.say("/finder_resume")
    assert asked(tree, "pl", ["study"]) in texts(resumed)
    assert_checklist(press(chat, resumed, "poland"), domain, tree, "pl", ["study", "poland"])


def test_telegram_finder_command_asks_the_first_question_with_buttons(stack, telegram, tree):
    chat_id = 880_000_001
    assert post(stack, message_update(chat_id, "/finder", lang="ru")).status_code == 200
    wait_for_text(telegram, chat_id, first_paragraph(asked(tree, "ru", [])))
    keyboards = [
        p["reply_markup"] for p in telegram.sent("sendMessage", chat_id) if "reply_markup" in p
    ]
    datas = [b[0]["callback_data"] for k in keyboards for b in k["inline_keyboard"]]
    assert '/finder_answer{"finder_choice": "purpose:work"}' in datas
