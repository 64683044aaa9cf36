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
    """Searches the knowledge base and answers, offers choices, or admits it has no answer."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = reply_language(tracker)
        webapp = get_webapp()
        try:
            if intent_name(tracker) == "choose_entry":
                chosen = entity_value(tracker, "kb_entry")
                entry = await webapp.entry(chosen, lang) if chosen else None
                if entry is not None:
                    return send_answer(dispatcher, domain, entry, lang)
            text = message_text(tracker)
            if refusal_for(text) is not None or is_button_payload(text.strip()):
                return []  # action_set_language has already refused it
            text = text.strip()
            result = await webapp.search(text, lang, tracker.sender_id, channel_name(tracker))
        except WebAppError:
            log.exception("knowledge base unavailable")
            dispatcher.utter_message(response="utter_technical_problem")
            return []

        question = [SlotSet("last_question", text)]
        if result["decision"] == "answer":
            return question + send_answer(dispatcher, domain, result["results"][0], lang)
        if result["decision"] == "clarify":
            buttons = [
                {"title": r["title"], "payload": choice_payload(r["id"])} for r in result["results"]
            ]
            dispatcher.utter_message(response="utter_clarify", buttons=buttons)
            return [*question, SlotSet("last_kb_id", None)]
        misses = float(tracker.get_slot("misses") or 0) + 1
        dispatcher.utter_message(response="utter_no_match")
        events: list[EventType] = [
            *question,
            SlotSet("misses", misses),
            SlotSet("last_kb_id", None),
        ]
        # Offer a consultant once per streak of misses (an answer ends the streak): repeated on
        # back-to-back misses the offer would bury the apology and the contacts.
        if misses == 1 and tracker.get_slot("handoff_state") != "declined":
            events += offer_handoff(dispatcher)
        return events
