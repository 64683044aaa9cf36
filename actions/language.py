"""Choosing the reply language: every turn that is not a question, and explicit choices."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
from actions.context import reply_language
from actions.control import is_control, is_deliberate_control
from actions.kb import answer
from actions.responses import utter_in
from actions.turn import detect_language, opening_events, relay_in_handoff, start_turn
from bot.kb.model import LANGUAGES


class ActionSetLanguage(TracedAction):
    """Runs first in every turn that is not a question: sets the `language` slot
    (`choose_reply_language`).

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
        opened, lang, refused = start_turn(
            dispatcher, tracker, domain, await detect_language(tracker)
        )
        events += opened
        if not refused and is_control(tracker) and not is_deliberate_control(tracker):
            # Not a command but a question that sounds like one: answer it, obey nothing.
            events += await answer(dispatcher, tracker, domain, lang)
            events.append(FollowupAction("action_listen"))
        return events


class ActionChooseLanguage(TracedAction):
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
