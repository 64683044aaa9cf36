"""Recording whether an answer helped, for the curators' learning loop."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.base import TracedAction
from actions.context import entity_value, reply_language
from actions.webapp import WebAppError, get_webapp

log = logging.getLogger(__name__)


async def store_feedback(
    dispatcher: CollectingDispatcher, tracker: Tracker, helpful: bool
) -> list[EventType]:
    """Record feedback on the last answer, once; thank or apologise."""
    kb_id = tracker.get_slot("last_kb_id")
    if kb_id:
        try:
            await get_webapp().feedback(
                kb_id,
                helpful,
                reply_language(tracker),
                tracker.get_slot("last_question") or "",
                tracker.sender_id,
            )
        except WebAppError as exc:
            log.error("feedback not recorded: %s", exc)
    dispatcher.utter_message(
        response="utter_feedback_positive" if helpful else "utter_feedback_negative"
    )
    return [SlotSet("last_kb_id", None)]


class ActionStoreFeedback(TracedAction):
    """The "did this help?" buttons."""

    def name(self) -> str:
        return "action_store_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        helpful = (entity_value(tracker, "helpful") or "").lower() in {"yes", "true", "1"}
        return await store_feedback(dispatcher, tracker, helpful)
