"""Grouping the inbox's messages: the same question in other words or forms is one group."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.curation.inbox import Message, group
from tests.fakes import FakeEncoder


def _message(i: int, text: str, lang: str) -> Message:
    return Message("question", i, text, lang, datetime(2026, 11, 27, tzinfo=UTC))


def test_inflected_forms_of_one_question_are_one_group():
    messages = [
        _message(1, "zgubiłam kartę pobytu", "pl"),
        _message(2, "zgubiłem karty pobytu", "pl"),
        _message(3, "втратив карту побиту", "uk"),
        _message(4, "втратила карти побиту", "uk"),
        _message(5, "jaka jutro pogoda", "pl"),
    ]
    # An encoder that sees every message as unrelated: only the lemmas can group them.
    encoder = FakeEncoder(dim=4096)
    groups = group(messages, encoder, similar=0.9)
    texts = sorted(sorted(m.text for m in g.messages) for g in groups)
    assert texts == [
        ["jaka jutro pogoda"],
        ["zgubiłam kartę pobytu", "zgubiłem karty pobytu"],
        ["втратив карту побиту", "втратила карти побиту"],
    ]
