"""Answering from the knowledge base, or offering choices, or admitting there is no answer."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
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
from bot.responses import fill, variation_for

log = logging.getLogger(__name__)


def answer_text(domain: dict[str, Any], entry: dict[str, Any], lang: str) -> str:
    """The entry's answer followed by the date its facts were last checked."""
    reviewed = date.fromisoformat(str(entry["reviewed"]))
    checked = variation_for(domain, "utter_reviewed_on", lang)["text"]
    return f"{entry['answer']}\n\n{fill(checked, {'date': reviewed.strftime('%d.%m.%Y')})}"


def send_answer(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], entry: dict[str, Any], lang: str
) -> list[EventType]:
    """The entry's answer (it ends with its source link and review date) and "did this help?"."""
    dispatcher.utter_message(
        text=answer_text(domain, entry, lang), json_message={"kb_id": entry["id"]}
    )
    # Sent directly: Rasa's templating would read the buttons' JSON payloads as placeholders.
    utter_in(dispatcher, domain, "utter_ask_helpful", lang)
    return [
        SlotSet("last_kb_id", entry["id"]),
        SlotSet("misses", 0.0),
        SlotSet("handoff_state", None),
    ]


def choice_payload(entry_id: str) -> str:
    return "/choose_entry" + json.dumps({"kb_entry": entry_id})


def no_match(
    dispatcher: CollectingDispatcher, tracker: Tracker, events: list[EventType]
) -> list[EventType]:
    """Admit there is no answer and, once per streak of misses, offer a consultant."""
    misses = float(tracker.get_slot("misses") or 0) + 1
    dispatcher.utter_message(response="utter_no_match")
    events = [*events, SlotSet("misses", misses), SlotSet("last_kb_id", None)]
    # A declined offer is not repeated.
    if tracker.get_slot("handoff_state") != "declined":
        events += offer_handoff(dispatcher)
    return events


async def answer_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """Answer the latest message in `lang`: from the knowledge base, with choices, or a miss."""
    webapp = get_webapp()
    text = message_text(tracker).strip()
    try:
        if intent_name(tracker) == "choose_entry":
            chosen = entity_value(tracker, "kb_entry")
            entry = await webapp.entry(chosen, lang) if chosen else None
            if entry is not None:
                return send_answer(dispatcher, domain, entry, lang)
        if refusal_for(tracker) is not None:
            return []  # action_set_language has already refused it
        if is_button_payload(text):
            # A stale or forged button (an entry since retired, a made-up payload): there is
            # no question to search for, so it is a miss like any other.
            return no_match(dispatcher, tracker, [])
        result = await webapp.search(text, lang, tracker.sender_id, channel_name(tracker))
    except WebAppError as exc:
        log.error("knowledge base unavailable: %s", exc)
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
    return no_match(dispatcher, tracker, question)


class ActionAnswerQuestion(TracedAction):
    """Searches the knowledge base and answers, offers choices, or admits it has no answer."""

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await answer_question(dispatcher, tracker, domain, reply_language(tracker))
