"""Handing the conversation to a consultant, relaying to them, and "yes"/"no" in context.

During a handoff (`handoff_state` queued, active or ticket_draft) the bot stays silent: the
first action of every turn (`action_set_language`, or `action_answer_question` for questions)
relays the user's message to the web app instead (`relay_to_consultant`). The web app sends
the consultants' replies and notices back through Rasa's API and resets the slot when the
consultant hands the conversation back.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
from actions.context import channel_name, intent_name, is_button_payload, message_text
from actions.context import reply_language as language_of
from actions.control import is_deliberate_control
from actions.feedback import store_feedback
from actions.responses import utter_in
from actions.webapp import WebAppError, get_webapp
from bot.handoff.states import OPEN_STATES, HandoffState

log = logging.getLogger(__name__)

TICKET_PROMPTS = {"email": "utter_ticket_ask_email", "message": "utter_ticket_ask_message"}


def offer_handoff(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """Ask whether the user wants a consultant; REST clients see `{"handoff": "offered"}`."""
    utter_in(dispatcher, domain, "utter_offer_handoff", lang, {"handoff": HandoffState.OFFERED})
    return [SlotSet("handoff_state", HandoffState.OFFERED)]


def in_handoff(tracker: Tracker) -> bool:
    return tracker.get_slot("handoff_state") in OPEN_STATES


def wants_to_stop(tracker: Tracker) -> bool:
    """Whether a message during a handoff ends it; anything else goes to the consultant."""
    return intent_name(tracker) == "stop_handoff" and is_deliberate_control(tracker)


def _latest_user_ts(tracker: Tracker) -> float | None:
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            ts = event.get("timestamp")
            return float(ts) if ts is not None else None
    return None


def transcript_of(tracker: Tracker) -> list[dict[str, Any]]:
    """The conversation so far, for the consultant: user and bot lines with answered ids."""
    lines: list[dict[str, Any]] = []
    for event in tracker.events:
        kind = event.get("event")
        text = str(event.get("text") or "")
        if kind == "user" and text and not is_button_payload(text):
            lines.append({"author": "user", "text": text[:4000], "ts": event.get("timestamp")})
        elif kind == "bot":
            custom = (event.get("data") or {}).get("custom") or {}
            kb_id = custom.get("kb_id") if isinstance(custom, dict) else None
            if text or kb_id:
                lines.append(
                    {"author": "bot", "text": text[:4000], "kb_id": kb_id,
                     "ts": event.get("timestamp")}
                )  # fmt: skip
    return lines[-60:]


async def start_handoff(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType]:
    """Queue the conversation for a consultant, or start a ticket when nobody can take it."""
    lang = language_of(tracker)
    text = message_text(tracker)
    question = tracker.get_slot("last_question") or ("" if is_button_payload(text) else text)
    try:
        result = await get_webapp().start_handoff(
            tracker.sender_id, channel_name(tracker), lang, question, transcript_of(tracker)
        )
    except WebAppError as exc:
        log.warning("handoff unavailable; giving the contacts instead: %s", exc)
        utter_in(dispatcher, domain, "utter_handoff_contact", lang)
        return [SlotSet("handoff_state", None)]
    state = str(result.get("state"))
    hours = str(result.get("hours") or "")
    if state == HandoffState.QUEUED:
        utter_in(dispatcher, domain, "utter_handoff_queued", lang, {"handoff": state},
                 position=str(result.get("position") or 1), hours=hours)  # fmt: skip
    elif state == HandoffState.ACTIVE:
        utter_in(dispatcher, domain, "utter_handoff_claimed", lang, {"handoff": state})
    else:
        news = {"handoff": HandoffState.TICKET}
        utter_in(dispatcher, domain, "utter_handoff_unavailable", lang, news, hours=hours)
    return [SlotSet("handoff_state", state)]


async def relay_to_consultant(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
) -> list[EventType] | None:
    """Pass the user's message to the consultants; None when the handoff is over."""
    text = message_text(tracker)
    stay: list[EventType] = [FollowupAction("action_listen")]
    if is_button_payload(text):
        return stay
    try:
        result = await get_webapp().relay(tracker.sender_id, text, _latest_user_ts(tracker))
    except WebAppError as exc:
        # Rasa keeps the message; the web app copies it from the tracker when it is back.
        log.warning("relay postponed; the web app will copy the message: %s", exc)
        return stay
    if not result.get("open"):
        return None
    state = str(result.get("state"))
    lang = language_of(tracker)
    if state == HandoffState.TICKET:
        utter_in(dispatcher, domain, "utter_ticket_created", lang)
        return [SlotSet("handoff_state", None), *stay]
    prompt = TICKET_PROMPTS.get(str(result.get("needs")))
    if state == HandoffState.TICKET_DRAFT and prompt:
        utter_in(dispatcher, domain, prompt, lang)
    events: list[EventType] = []
    if state != tracker.get_slot("handoff_state"):
        events.append(SlotSet("handoff_state", state))
    return [*events, *stay]


class ActionStartHandoff(TracedAction):
    """The user asked for a person (in words, with the widget's button or Telegram's /human)."""

    def name(self) -> str:
        return "action_start_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await start_handoff(dispatcher, tracker, domain)


class ActionStopHandoff(TracedAction):
    """The user no longer needs a person: ends a handoff in progress, or declines an offer."""

    def name(self) -> str:
        return "action_stop_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = language_of(tracker)
        if in_handoff(tracker):
            try:
                await get_webapp().end_handoff(tracker.sender_id)
            except WebAppError as exc:
                log.warning("could not close the handoff in the web app: %s", exc)
            news = {"handoff": HandoffState.CLOSED}
            utter_in(dispatcher, domain, "utter_handoff_ended", lang, news)
            return [SlotSet("handoff_state", None)]
        utter_in(dispatcher, domain, "utter_handoff_declined", lang)
        return [SlotSet("handoff_state", HandoffState.DECLINED)]


class ActionConfirm(TracedAction):
    """A "yes" or "no": to the consultant offer, to "did this help?", or to nothing."""

    def name(self) -> str:
        return "action_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        yes = intent_name(tracker) == "affirm"
        if tracker.get_slot("handoff_state") == HandoffState.OFFERED:
            if yes:
                return await start_handoff(dispatcher, tracker, domain)
            dispatcher.utter_message(response="utter_handoff_declined")
            return [SlotSet("handoff_state", HandoffState.DECLINED)]
        if tracker.get_slot("last_kb_id"):
            return await store_feedback(dispatcher, tracker, yes)
        dispatcher.utter_message(response="utter_help")
        return []
