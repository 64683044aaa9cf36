"""Which messages count as commands (language switch, a person, stop the handoff)."""

from __future__ import annotations

import pytest
from rasa_sdk import Tracker

from actions.control import is_deliberate_control


def _tracker(text: str, intent: str, confidence: float = 0.99) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    return Tracker("u", {}, latest, [], False, None, {}, "action_listen")


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("czy akt urodzenia po angielsku trzeba tlumaczyc na polski", "choose_language"),
        ("Чекаю на децизію вже півтора року, скільки ще чекати?", "stop_handoff"),
        (
            "my employer says I need to talk to a person at the office about my permit",
            "human_handoff",
        ),
    ],
)
def test_questions_that_sound_like_commands_are_questions(text, intent):
    assert not is_deliberate_control(_tracker(text, intent))


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("in English please", "choose_language", 0.95),
        ("konsultant", "human_handoff", 0.9),
        ("не потрібно", "stop_handoff", 0.85),
        ('/choose_language{"language": "en"}', "choose_language", 1.0),
        ("/stop_handoff", "stop_handoff", 0.3),
    ],
)
def test_short_sure_messages_and_payloads_are_commands(text, intent, confidence):
    assert is_deliberate_control(_tracker(text, intent, confidence))


def test_an_unsure_short_message_is_not_a_command():
    assert not is_deliberate_control(_tracker("po angielsku", "choose_language", 0.5))
    assert not is_deliberate_control(_tracker("hello", "greet"))
