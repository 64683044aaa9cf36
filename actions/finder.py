"""The guided permit finder: the questions of data/finder.yml, then a personal checklist.

The conversation's place in the tree is the `finder_answers` slot (the option ids chosen so
far) and `finder_active` says whether a typed message is first tried as an answer; the web
app walks the tree (bot/finder/) and records each step for the dashboard. A typed message
that answers nothing is a free question: it is answered normally and the user is offered to
resume.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
from actions.context import channel_name, entity_value, intent_name, message_text, reply_language
from actions.handoff import offer_handoff, start_handoff
from actions.kb import answer
from actions.responses import utter_in
from actions.webapp import WebAppError, get_webapp
from bot.payloads import FINDER_INTENT
from bot.responses import review_date

log = logging.getLogger(__name__)


def choice_payload(question_id: str, option_id: str) -> str:
    """The payload of an option's button: it continues the finder from any channel."""
    return "/finder_answer" + json.dumps({"finder_choice": f"{question_id}:{option_id}"})


def ask(dispatcher: CollectingDispatcher, question: dict[str, Any]) -> None:
    buttons = [
        {"title": o["label"], "payload": choice_payload(question["id"], o["id"])}
        for o in question["options"]
    ]
    dispatcher.utter_message(text=question["text"], buttons=buttons)


def send_checklist(
    dispatcher: CollectingDispatcher, domain: dict[str, Any], result: dict[str, Any], lang: str
) -> list[EventType]:
    """The checklist, the caution and the consultant offer; REST clients get the entry ids."""
    utter_in(dispatcher, domain, "utter_finder_result", lang)
    for item in result["items"]:
        utter_in(
            dispatcher,
            domain,
            "utter_finder_item",
            lang,
            title=item["title"],
            answer=item["answer"],
            reviewed=review_date(item["reviewed"]),
        )
    utter_in(dispatcher, domain, "utter_finder_disclaimer", lang)
    events = offer_handoff(dispatcher, domain, lang)
    utter_in(
        dispatcher,
        domain,
        "utter_finder_printable",
        lang,
        {"finder": {"entries": result["entries"]}},
        url=result["url"],
    )
    return events


class ActionFinder(TracedAction):
    """Starts, continues, resumes or stops the finder, by the latest intent."""

    def name(self) -> str:
        return "action_finder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        lang = reply_language(tracker)
        intent = intent_name(tracker)
        off: list[EventType] = [SlotSet("finder_active", False)]
        if intent == "finder_stop":
            utter_in(dispatcher, domain, "utter_finder_stopped", lang)
            return [*off, SlotSet("finder_answers", None)]
        if intent == "human_handoff":
            # The place in the tree is kept: the user may resume after the consultant.
            return [*off, *await start_handoff(dispatcher, tracker, domain)]
        body: dict[str, Any] = {
            "sender_id": tracker.sender_id,
            "channel": channel_name(tracker),
            "lang": lang,
            "answers": list(tracker.get_slot("finder_answers") or []),
        }
        if intent == FINDER_INTENT:
            body["start"] = True
        elif intent == "finder_answer":
            body["choice"] = entity_value(tracker, "finder_choice") or ""
        elif intent != "finder_resume":
            body["text"] = message_text(tracker).strip()
        try:
            step = await get_webapp().finder_step(body)
        except WebAppError:
            log.exception("permit finder unavailable")
            dispatcher.utter_message(response="utter_technical_problem")
            return off
        if not step["matched"]:
            # Answered here, within this action's run: not a second (traced, counted) action.
            answered = await answer(dispatcher, tracker, domain, lang)
            utter_in(dispatcher, domain, "utter_finder_resume_offer", lang)
            return [*answered, *off]
        if intent == FINDER_INTENT:
            utter_in(dispatcher, domain, "utter_finder_intro", lang)
        events: list[EventType] = [SlotSet("finder_answers", step["answers"])]
        if step["question"] is not None:
            ask(dispatcher, step["question"])
            return [*events, SlotSet("finder_active", True)]
        return [*events, *send_checklist(dispatcher, domain, step["result"], lang), *off]
