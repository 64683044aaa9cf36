"""Choosing the reply language and opening the conversation with the privacy notice."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    channel_hint,
    is_button_payload,
    message_text,
    refusal_for,
    reply_language,
)
from actions.handoff import in_handoff, relay_to_consultant, wants_to_stop
from actions.responses import utter_in
from actions.webapp import WebAppError, get_webapp
from bot.kb.model import LANGUAGES
from bot.lang import choose_reply_language
from bot.privacy import contains_personal_data

log = logging.getLogger(__name__)


def opening_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """The privacy notice once per conversation, and a warning when personal data shows up."""
    events: list[EventType] = []
    if not tracker.get_slot("notice_shown"):
        utter_in(dispatcher, domain, "utter_privacy_notice", lang)
        events.append(SlotSet("notice_shown", True))
    if contains_personal_data(message_text(tracker)):
        utter_in(dispatcher, domain, "utter_personal_data_warning", lang)
    return events


class ActionSetLanguage(Action):
    """Runs first in every turn: sets the `language` slot (`choose_reply_language`).

    During a handoff it relays the message to the consultants instead, and the bot stays
    silent.
    """

    def name(self) -> str:
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = []
        if in_handoff(tracker) and not wants_to_stop(tracker):
            relayed = await relay_to_consultant(dispatcher, tracker, domain)
            if relayed is not None:
                return relayed
            events.append(SlotSet("handoff_state", None))  # handed back meanwhile
        text = message_text(tracker)
        current = tracker.get_slot("language")
        locked = current if tracker.get_slot("language_locked") else None
        detected = None
        if locked is None and text.strip() and not is_button_payload(text):
            try:
                detected = await get_webapp().detect_language(text)
            except WebAppError:
                log.warning("language detection unavailable; keeping %s", current, exc_info=True)
        lang = choose_reply_language(detected, locked, channel_hint(tracker), current)
        if lang != current:
            events.append(SlotSet("language", lang))
        events += opening_events(dispatcher, tracker, domain, lang)
        refusal = refusal_for(text)
        if refusal is not None:
            # Whatever intent NLU guessed for it, such a message gets only the refusal.
            utter_in(dispatcher, domain, refusal, lang)
            events.append(FollowupAction("action_listen"))
        return events


class ActionChooseLanguage(Action):
    """The user picked a language (it sticks), or is offered the choice (e.g. after /start).

    The picker is sent from here, not as a template: Rasa's templating would read its buttons'
    JSON payloads as placeholders.
    """

    def name(self) -> str:
        return "action_choose_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        chosen = next(
            (
                str(e.get("value"))
                for e in tracker.latest_message.get("entities", [])
                if e.get("entity") == "language" and e.get("value") in LANGUAGES
            ),
            None,
        )
        if chosen is None:
            lang = reply_language(tracker)
            events = opening_events(dispatcher, tracker, domain, lang)
            utter_in(dispatcher, domain, "utter_choose_language", lang)
            return events
        events = [SlotSet("language", chosen), SlotSet("language_locked", True)]
        events += opening_events(dispatcher, tracker, domain, chosen)
        utter_in(dispatcher, domain, "utter_language_set", chosen)
        return events
