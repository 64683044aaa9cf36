"""Opening a turn: relaying during a handoff, the reply language, the privacy notice, refusals.

Both action_set_language (every turn that is not a question) and action_answer_question (a
question, in a single action call) open the turn with these steps.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    channel_hint,
    channel_name,
    has_personal_data,
    is_button_payload,
    message_text,
    refusal_for,
)
from actions.handoff import in_handoff, relay_to_consultant, wants_to_stop
from actions.responses import utter_in
from actions.webapp import WebAppError, get_webapp
from bot.lang import choose_reply_language

log = logging.getLogger(__name__)

CHANNELS_WITH_OWN_NOTICE = frozenset({"webchat"})
"""Channels whose client shows the privacy notice itself (the widget's notice)."""


def opening_events(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """The privacy notice once per conversation, and a warning when personal data shows up.

    The web chat shows its own short notice above every conversation: there the notice is not
    sent again, and a phone shows the first answer without scrolling past it.
    """
    events: list[EventType] = []
    if not tracker.get_slot("notice_shown"):
        if channel_name(tracker) not in CHANNELS_WITH_OWN_NOTICE:
            utter_in(dispatcher, domain, "utter_privacy_notice", lang)
        events.append(SlotSet("notice_shown", True))
    if has_personal_data(tracker):
        utter_in(dispatcher, domain, "utter_personal_data_warning", lang)
    return events


async def relay_in_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> tuple[list[EventType], bool]:
    """During a handoff the message goes to the consultants and the bot stays silent.

    A refused message (empty, too long) is not relayed: the user gets the refusal instead.
    Returns the events and whether the turn is over (the message was relayed).
    """
    if in_handoff(tracker) and not wants_to_stop(tracker) and refusal_for(tracker) is None:
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
    if (
        locked_language(tracker) is not None
        or refusal_for(tracker) is not None
        or not text.strip()
        or is_button_payload(text)
    ):
        return None
    try:
        return await get_webapp().detect_language(text)
    except WebAppError as exc:
        log.warning(
            "language detection unavailable; keeping %s: %s", tracker.get_slot("language"), exc
        )
        return None


def start_turn(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    detected: str | None,
) -> tuple[list[EventType], str, bool]:
    """Set the reply language, open the conversation, refuse bad input.

    Returns the events, the reply language and whether the message was refused (then the turn
    is over: whatever intent NLU guessed for it, such a message gets only the refusal).
    """
    current = tracker.get_slot("language")
    lang = choose_reply_language(detected, locked_language(tracker), channel_hint(tracker), current)
    events: list[EventType] = [SlotSet("language", lang)] if lang != current else []
    events += opening_events(dispatcher, tracker, domain, lang)
    refusal = refusal_for(tracker)
    if refusal is not None:
        utter_in(dispatcher, domain, refusal, lang)
        events.append(FollowupAction("action_listen"))
    return events, lang, refusal is not None
