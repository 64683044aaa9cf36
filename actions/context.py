"""Reading the conversation's state from a tracker."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from actions.settings import get_action_settings
from bot.lang import DEFAULT_LANGUAGE


def reply_language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or DEFAULT_LANGUAGE


def message_text(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def intent_name(tracker: Tracker) -> str:
    return str((tracker.latest_message.get("intent") or {}).get("name") or "")


def channel_hint(tracker: Tracker) -> str | None:
    """The language the channel reports (browser or Telegram client), if any."""
    metadata: dict[str, Any] = tracker.latest_message.get("metadata") or {}
    value = metadata.get("language")
    return str(value) if value else None


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


def refusal_for(text: str) -> str | None:
    """The response refusing a message that is empty or too long, if it is."""
    if not text.strip():
        return "utter_message_empty"
    if len(text) > get_action_settings().max_message_chars:
        return "utter_message_too_long"
    return None
