"""Offering a consultant, and "yes"/"no" in the context of the last question the bot asked."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import intent_name
from actions.feedback import store_feedback

OFFERED = "offered"
DECLINED = "declined"


def offer_handoff(dispatcher: CollectingDispatcher) -> list[EventType]:
    """Ask whether the user wants a consultant; REST clients see `{"handoff": "offered"}`."""
    dispatcher.utter_message(response="utter_offer_handoff", json_message={"handoff": OFFERED})
    return [SlotSet("handoff_state", OFFERED)]


class ActionOfferHandoff(Action):
    """The user asked for a person."""

    def name(self) -> str:
        return "action_offer_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return offer_handoff(dispatcher)


class ActionConfirm(Action):
    """A "yes" or "no": to the consultant offer, to "did this help?", or to nothing."""

    def name(self) -> str:
        return "action_confirm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        yes = intent_name(tracker) == "affirm"
        if tracker.get_slot("handoff_state") == OFFERED:
            if yes:
                dispatcher.utter_message(response="utter_handoff_contact")
                return [SlotSet("handoff_state", None)]
            dispatcher.utter_message(response="utter_handoff_declined")
            return [SlotSet("handoff_state", DECLINED)]
        if tracker.get_slot("last_kb_id"):
            return await store_feedback(dispatcher, tracker, yes)
        dispatcher.utter_message(response="utter_help")
        return []
