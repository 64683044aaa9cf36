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


async def relay_in_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> tuple[list[EventType], bool]:
    """During a handoff the message goes to the consultants and the bot stays silent.

    Returns the events and whether the turn is over (the message was relayed).
    """
    if in_handoff(tracker) and not wants_to_stop(tracker):
        relayed = await relay_to_consultant(dispatcher, tracker, domain)
        if relayed is not None:
            return relayed, True
        return [SlotSet("handoff_state", None)], False  # handed back meanwhile
    return [], False


def locked_language(tracker: Tracker) -> str | None:
    """The language the user chose explicitly, if any (it sticks for the session)."""
    return tracker.get_slot("language") if tracker.get_slot("language_locked") else None


def undetected_language(tracker: Tracker) -> str:
    """The reply language when the message itself does not tell."""
    return choose_reply_language(
        None, locked_language(tracker), channel_hint(tracker), tracker.get_slot("language")
    )


async def detect_language(tracker: Tracker) -> str | None:
    """The language of the user's message, asked from the web app; None when it does not tell."""
    text = message_text(tracker)
    if locked_language(tracker) is not None or not text.strip() or is_button_payload(text):
        return None
    try:
        return await get_webapp().detect_language(text)
    except WebAppError:
        log.warning("language detection unavailable; keeping %s", tracker.get_slot("language"),
                    exc_info=True)  # fmt: skip
        return None


def start_turn(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    detected: str | None,
) -> tuple[list[EventType], str, bool]:
    """Set the reply language by design.md's rules, open the conversation, refuse bad input.

    Returns the events, the reply language and whether the message was refused (then the turn
    is over: whatever intent NLU guessed for it, such a message gets only the refusal).
    """
    current = tracker.get_slot("language")
    lang = choose_reply_language(detected, locked_language(tracker), channel_hint(tracker), current)
    events: list[EventType] = [SlotSet("language", lang)] if lang != current else []
    events += opening_events(dispatcher, tracker, domain, lang)
    refusal = refusal_for(message_text(tracker))
    if refusal is not None:
        utter_in(dispatcher, domain, refusal, lang)
        events.append(FollowupAction("action_listen"))
    return events, lang, refusal is not None


class ActionSetLanguage(Action):
    """Runs first in every turn that is not a question: sets the `language` slot.

    During a handoff it relays the message to the consultants instead, and the bot stays
    silent. Questions skip it: action_answer_question does the same in its single call.
    """

    def name(self) -> str:
        return "action_set_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events, relayed = await relay_in_handoff(dispatcher, tracker, domain)
        if relayed:
            return events
        opened, _, _ = start_turn(dispatcher, tracker, domain, await detect_language(tracker))
        return events + opened


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
