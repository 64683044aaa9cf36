"""The reply language over the real stack: the language a person writes in, not the language of
the Polish terms they borrow (issue #14, "Done when")."""

from __future__ import annotations

import json
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.kb.model import LANGUAGES
from bot.settings import ROOT
from tests.e2e.chat import Chat, first_paragraph, response_text, texts

pytestmark = pytest.mark.e2e

LANGUAGE_SET = ROOT / "tests" / "eval" / "languages.jsonl"


def _reply_language(domain, reply: str) -> str | None:
    """Which language's privacy notice opens a first reply."""
    found = [
        lang
        for lang in LANGUAGES
        if first_paragraph(response_text(domain, "utter_privacy_notice", lang)) in reply
    ]
    return found[0] if len(found) == 1 else None


def test_the_reply_language_is_right_for_97_percent_of_the_language_set(stack, domain):
    rows = [json.loads(line) for line in LANGUAGE_SET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150

    def ask(row):
        # A fresh conversation per message: its first reply opens with the privacy notice.
        reply = texts(Chat(stack.config.rasa_url, f"lang-{uuid.uuid4().hex[:12]}").say(row["text"]))
        return row, _reply_language(domain, reply)

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(ask, rows))
    wrong = [(row["text"], row["lang"], got) for row, got in outcomes if got != row["lang"]]
    assert len(wrong) <= 0.03 * len(rows), wrong


def test_an_out_of_scope_question_is_answered_and_logged_in_its_language(stack, domain):
    chat = Chat(stack.config.rasa_url)
    reply = texts(chat.say("what's the weather in Kraków?"))
    assert first_paragraph(response_text(domain, "utter_no_match", "en")) in reply
    with sqlite3.connect(stack.config.var_dir / "faq.db") as conn:
        rows = conn.execute(
            "SELECT lang FROM question_log WHERE sender_id LIKE ?", (f"%{chat.sender}",)
        ).fetchall()
    assert rows == [("en",)]


def test_a_ukrainian_widget_gets_english_for_an_english_question(stack, domain):
    chat = Chat(stack.config.rasa_url)
    reply = texts(chat.say("what's the weather in Kraków?", metadata={"language": "uk"}))
    assert first_paragraph(response_text(domain, "utter_no_match", "en")) in reply


def test_a_borrowed_polish_term_does_not_switch_a_ukrainian_conversation(stack, domain):
    chat = Chat(stack.config.rasa_url)
    chat.say("Привіт")
    reply = texts(chat.say("що робити якщо загубив kartę pobytu?"))
    assert response_text(domain, "utter_ask_helpful", "uk") in reply
