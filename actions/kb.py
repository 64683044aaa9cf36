"""Answering from the knowledge base, or offering choices, or admitting there is no answer."""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    channel_name,
    entity_value,
    intent_name,
    is_button_payload,
    message_text,
    refusal_for,
    reply_language,
)
from actions.handoff import offer_handoff
from actions.language import (
    detect_language,
    locked_language,
    relay_in_handoff,
    start_turn,
    undetected_language,
)
from actions.responses import utter_in
from actions.webapp import WebAppError, get_webapp

log = logging.getLogger(__name__)


def send_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], entry: dict[str, Any], lang: str
) -> list[EventType]:
    """The entry's answer (it ends with its source link) and the "did this help?" question."""
    dispatcher.utter_message(text=entry["answer"], json_message={"kb_id": entry["id"]})
    # Sent directly: Rasa's templating would read the buttons' JSON payloads as placeholders.
    utter_in(dispatcher, domain, "utter_ask_helpful", lang)
    return [
        SlotSet("last_kb_id", entry["id"]),
        SlotSet("misses", 0.0),
        SlotSet("handoff_state", None),
    ]


def choice_payload(entry_id: str) -> str:
    return "/choose_entry" + json.dumps({"kb_entry": entry_id})


class ActionAnswerQuestion(Action):
    """The whole turn of a question, in one action call and one call to the web app.

    Like action_set_language it relays the message during a handoff and settles the reply
    language — here from the search's own language detection — then it answers from the
    knowledge base, offers choices, or admits it has no answer.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # Predicted as the core fallback after action_set_language, the turn is already open.
        settled = (
            reply_language(tracker) if tracker.latest_action_name == "action_set_language" else None
        )
        events: list[EventType] = []
        if settled is None:
            events, relayed = await relay_in_handoff(dispatcher, tracker, domain)
            if relayed:
                return events
        text = message_text(tracker)
        question = refusal_for(text) is None and not is_button_payload(text.strip())
        if question and intent_name(tracker) != "choose_entry":
            return events + await self._search(dispatcher, tracker, domain, text, settled)
        if settled is None:
            opened, settled, refused = start_turn(
                dispatcher, tracker, domain, await detect_language(tracker)
            )
            events += opened
            if refused:
                return events
        return events + await self._choice(dispatcher, tracker, domain, settled)

    @staticmethod
    async def _choice(
        dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
    ) -> list[EventType]:
        """The entry picked with a clarification button."""
        chosen = entity_value(tracker, "kb_entry")
        if chosen is None or intent_name(tracker) != "choose_entry":
            return []
        try:
            entry = await get_webapp().entry(chosen, lang)
        except WebAppError:
            log.exception("knowledge base unavailable")
            utter_in(dispatcher, domain, "utter_technical_problem", lang)
            return []
        return send_answer(dispatcher, domain, entry, lang) if entry is not None else []

    @staticmethod
    async def _search(
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
        text: str,
        settled: str | None,
    ) -> list[EventType]:
        """Search; unless `settled`, the web app detects the reply language in the same request."""
        text = text.strip()
        try:
            result = await get_webapp().search(
                text,
                settled or locked_language(tracker),
                tracker.sender_id,
                channel_name(tracker),
                fallback_lang=undetected_language(tracker),
            )
        except WebAppError:
            log.exception("knowledge base unavailable")
            events, lang = (
                ([], settled) if settled else start_turn(dispatcher, tracker, domain, None)[:2]
            )
            utter_in(dispatcher, domain, "utter_technical_problem", lang)
            return events
        if settled:
            events, lang = [], settled
        else:
            events, lang, _ = start_turn(dispatcher, tracker, domain, result["lang"])
        events.append(SlotSet("last_question", text))
        if result["decision"] == "answer":
            return events + send_answer(dispatcher, domain, result["results"][0], lang)
        if result["decision"] == "clarify":
            buttons = [
                {"title": r["title"], "payload": choice_payload(r["id"])} for r in result["results"]
            ]
            utter_in(dispatcher, domain, "utter_clarify", lang, buttons=buttons)
            return [*events, SlotSet("last_kb_id", None)]
        misses = float(tracker.get_slot("misses") or 0) + 1
        utter_in(dispatcher, domain, "utter_no_match", lang)
        events += [SlotSet("misses", misses), SlotSet("last_kb_id", None)]
        # Offer a consultant once per streak of misses: a declined offer is not repeated.
        if tracker.get_slot("handoff_state") != "declined":
            events += offer_handoff(dispatcher, domain, lang)
        return events
