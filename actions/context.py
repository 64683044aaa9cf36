"""Reading the conversation's state from a tracker."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.inbound import MAX_MESSAGE_CHARS, PERSONAL_DATA, REFUSED, TOO_LONG
from bot.lang import DEFAULT_LANGUAGE
from bot.privacy import contains_personal_data


def reply_language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def message_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def intent_name(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def message_metadata(tracker: Tracker) -> dict[str, Any]:
    """What the channel attached to the latest message (see `bot.inbound`)."""
    metadata = tracker.latest_message.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def channel_hint(tracker: Tracker) -> str | None:
    """The language the channel reports (browser or Telegram client), if any."""
    value = message_metadata(tracker).get("language")
    return str(value) if value else None


def has_personal_data(tracker: Tracker) -> bool:
    """Whether the user sent a PESEL, passport or case number (the channel redacted it)."""
    return bool(message_metadata(tracker).get(PERSONAL_DATA)) or contains_personal_data(
        message_text(tracker)
    )


def channel_name(tracker: Tracker) -> str:
    return str(tracker.get_latest_input_channel() or "")


def is_button_payload(text: str) -> bool:
    return text.startswith("/")


def entity_value(tracker: Tracker, name: str) -> str | None:
    """The first value of entity `name` in the latest message."""
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == name and entity.get("value"):
            return str(entity["value"])
    return None


def refusal_for(tracker: Tracker) -> str | None:
    """The response refusing the latest message, if it is empty or too long.

    The channels refuse an over-long message before NLU and say so in the metadata; the length
    is checked here too for messages that come in another way (Rasa's HTTP API).
    """
    text = message_text(tracker)
    if message_metadata(tracker).get(REFUSED) == TOO_LONG or len(text) > MAX_MESSAGE_CHARS:
        return "utter_message_too_long"
    if not text.strip():
        return "utter_message_empty"
    return None
