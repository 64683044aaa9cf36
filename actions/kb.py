"""Answering from the knowledge base, or offering choices, or admitting there is no answer."""

from __future__ import annotations

import logging
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
from actions.turn import (
    detect_language,
    locked_language,
    relay_in_handoff,
    start_turn,
    undetected_language,
)
from actions.webapp import WebAppError, get_webapp
from bot.handoff.states import HandoffState
from bot.payloads import CHOOSE_ENTRY, NONE_OF_THESE, entry_choice
from bot.responses import fill, review_date, variation_for

log = logging.getLogger(__name__)


def answer_text(domain: dict[str, Any], entry: dict[str, Any], lang: str) -> str:
    """The entry's answer followed by the date its facts were last checked."""
    checked = variation_for(domain, "utter_reviewed_on", lang)["text"]
    return f"{entry['answer']}\n\n{fill(checked, {'date': review_date(entry['reviewed'])})}"


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


def clarify(
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
    lang: str,
    candidates: list[dict[str, Any]],
) -> None:
    """Ask which entry the user means — "Did you mean …?" when there is one — always with a
    way to say that none of them is."""
    if len(candidates) == 1:
        [entry] = candidates
        # The response's "yes" button chooses the entry: its payload gets the entry's id.
        buttons = [
            {**button, "payload": entry_choice(entry["id"])}
            if button.get("payload") == f"/{CHOOSE_ENTRY}"
            else button
            for button in variation_for(domain, "utter_did_you_mean", lang).get("buttons") or []
        ]
        utter_in(dispatcher, domain, "utter_did_you_mean", lang, buttons=buttons,
                 title=str(entry["title"]))  # fmt: skip
        return
    choices = [{"title": r["title"], "payload": entry_choice(r["id"])} for r in candidates]
    none_of_these = variation_for(domain, "utter_clarify", lang).get("buttons") or []
    utter_in(dispatcher, domain, "utter_clarify", lang, buttons=[*choices, *none_of_these])


def no_match(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    lang: str,
    events: list[EventType],
    reply: str = "utter_no_match",
) -> list[EventType]:
    """Admit there is no answer (`reply`) and, once per streak of misses, offer a consultant."""
    misses = float(tracker.get_slot("misses") or 0) + 1
    utter_in(dispatcher, domain, reply, lang)
    events = [*events, SlotSet("misses", misses), SlotSet("last_kb_id", None)]
    # Offer a consultant once per streak of misses (an answer ends the streak): repeated on
    # back-to-back misses the offer would bury the apology and the contacts. A declined offer
    # is not repeated either.
    if misses == 1 and tracker.get_slot("handoff_state") != HandoffState.DECLINED:
        events += offer_handoff(dispatcher, domain, lang)
    return events


async def answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: dict[str, Any],
    lang: str | None = None,
) -> list[EventType]:
    """Answer the latest message from the knowledge base, with choices, or admit a miss.

    With `lang` the turn is already open (action_set_language ran); without it the turn is
    opened here, in the language the web app's search detected in the same request.
    """
    text = message_text(tracker).strip()
    try:
        result = await get_webapp().search(
            text,
            lang or locked_language(tracker),
            tracker.sender_id,
            channel_name(tracker),
            fallback_lang=lang or undetected_language(tracker),
        )
    except WebAppError as exc:
        log.error("knowledge base unavailable: %s", exc)
        events: list[EventType] = []
        if lang is None:
            events, lang, _ = start_turn(dispatcher, tracker, domain, None)
        utter_in(dispatcher, domain, "utter_technical_problem", lang)
        return events
    events = []
    if lang is None:
        events, lang, _ = start_turn(dispatcher, tracker, domain, result["lang"])
    events.append(SlotSet("last_question", text))
    if result["decision"] == "answer":
        return events + send_answer(dispatcher, domain, result["results"][0], lang)
    if result["decision"] == "clarify":
        clarify(dispatcher, domain, lang, result["results"])
        return [*events, SlotSet("last_kb_id", None)]
    return no_match(dispatcher, tracker, domain, lang, events)


async def answer_button(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """A clarification's button: the entry chosen, or "none of these" — a miss whose reply
    asks to rephrase; any other payload (stale or forged) is a miss like any other."""
    intent = intent_name(tracker)
    if intent == CHOOSE_ENTRY:
        return await answer_choice(dispatcher, tracker, domain, lang)
    return no_match(
        dispatcher, tracker, domain, lang, [],
        reply="utter_rephrase" if intent == NONE_OF_THESE else "utter_no_match",
    )  # fmt: skip


async def answer_choice(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any], lang: str
) -> list[EventType]:
    """The entry picked with a clarification button; a stale or forged one is a miss."""
    chosen = entity_value(tracker, "kb_entry")
    try:
        entry = await get_webapp().entry(chosen, lang) if chosen else None
    except WebAppError as exc:
        log.error("knowledge base unavailable: %s", exc)
        utter_in(dispatcher, domain, "utter_technical_problem", lang)
        return []
    if entry is None:
        # An entry since retired or a made-up payload: nothing to answer, a miss like any other.
        return no_match(dispatcher, tracker, domain, lang, [])
    return send_answer(dispatcher, domain, entry, lang)


class ActionAnswerQuestion(TracedAction):
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
        if tracker.latest_action_name == "action_set_language":
            # Predicted after action_set_language: the turn is already open.
            lang = reply_language(tracker)
            if intent_name(tracker) in (CHOOSE_ENTRY, NONE_OF_THESE):
                return await answer_button(dispatcher, tracker, domain, lang)
            return await answer(dispatcher, tracker, domain, lang)
        events, relayed = await relay_in_handoff(dispatcher, tracker, domain)
        if relayed:
            return events
        text = message_text(tracker).strip()
        if refusal_for(tracker) is None and not is_button_payload(text):
            return events + await answer(dispatcher, tracker, domain)
        opened, lang, refused = start_turn(
            dispatcher, tracker, domain, await detect_language(tracker)
        )
        events += opened
        if refused:
            return events
        # A payload: nothing to search for.
        return events + await answer_button(dispatcher, tracker, domain, lang)
