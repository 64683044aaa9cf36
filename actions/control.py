"""When a message is a command to the assistant rather than a question.

Three intents steer the conversation instead of asking something: switching the reply
language, asking for a person and ending a handoff. A long question can look like one to NLU
("czy akt urodzenia po angielsku trzeba tłumaczyć na polski" mentions English; a message to a
consultant about waiting for a decision sounds like giving up), and obeying it then hijacks the
conversation. So a control intent counts only in an explicit form: a button or command payload,
or a short message NLU is sure about. Anything else is answered as a question.
"""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.context import intent_name, is_button_payload, message_text

CONTROL_CONFIDENCE = 0.8
"""The least NLU confidence for a typed control request."""
MAX_CONTROL_WORDS = {"choose_language": 8, "human_handoff": 8, "stop_handoff": 5}
"""The longest typed request, in words, that may be a command, by intent. Ending a handoff
is the strictest: a consultant's user writes long messages, and a wrong stop loses the
consultant."""


def is_control(tracker: Tracker) -> bool:
    """Whether the latest message has a control intent."""
    return intent_name(tracker) in MAX_CONTROL_WORDS


def is_deliberate_control(tracker: Tracker) -> bool:
    """Whether the latest message is a control request in an explicit form (see above)."""
    name = intent_name(tracker)
    if name not in MAX_CONTROL_WORDS:
        return False
    text = message_text(tracker).strip()
    if is_button_payload(text):
        return True
    confidence = float((tracker.latest_message.get("intent") or {}).get("confidence") or 0)
    return len(text.split()) <= MAX_CONTROL_WORDS[name] and confidence >= CONTROL_CONFIDENCE
