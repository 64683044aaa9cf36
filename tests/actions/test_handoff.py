"""Handing a conversation to a consultant, relaying to them, and "yes"/"no" in context."""

from __future__ import annotations

from actions import handoff, kb
from tests.actions.fakes import SENDER, FakeWebApp, run, said, tracker

SEEN = {"language": "en", "notice_shown": True}
RELAY = f"/api/handoffs/{SENDER}/messages"
LISTEN = {"event": "followup", "name": "action_listen", "timestamp": None}


def test_asking_for_a_person_queues_the_conversation_with_its_transcript(webapp: FakeWebApp):
    webapp.replies["/api/handoffs"] = {"state": "queued", "position": 2, "hours": "Mon-Fri"}
    earlier = [
        {"event": "user", "text": "ile kosztuje karta?", "timestamp": 1.0},
        {"event": "bot", "text": "100 PLN.", "timestamp": 2.0,
         "data": {"custom": {"kb_id": "card.fees"}}},
    ]  # fmt: skip
    done = run(
        handoff.ActionStartHandoff(),
        tracker(
            "/human_handoff",
            "human_handoff",
            slots={**SEEN, "last_question": "ile kosztuje karta?"},
            events=earlier,
        ),
    )
    [request] = webapp.requests
    assert request.path == "/api/handoffs"
    assert request.body["question"] == "ile kosztuje karta?"
    assert (request.body["sender_id"], request.body["channel"]) == (SENDER, "rest")
    assert request.body["transcript"] == [
        {"author": "user", "text": "ile kosztuje karta?", "ts": 1.0},
        {"author": "bot", "text": "100 PLN.", "kb_id": "card.fees", "ts": 2.0},
    ]  # the button's payload is no line of the conversation
    assert done.texts() == [said("utter_handoff_queued", "en", position="2", hours="Mon-Fri")]
    assert done.customs() == [{"handoff": "queued"}]
    assert done.slots["handoff_state"] == "queued"


def test_nobody_to_take_it_starts_a_ticket(webapp: FakeWebApp):
    webapp.replies["/api/handoffs"] = {"state": "ticket_draft", "hours": "Mon-Fri"}
    done = run(handoff.ActionStartHandoff(), tracker("a person please", slots=SEEN))
    assert done.texts() == [said("utter_handoff_unavailable", "en", hours="Mon-Fri")]
    assert done.slots["handoff_state"] == "ticket_draft"


def test_without_the_web_app_the_user_gets_the_contacts(webapp: FakeWebApp):
    webapp.replies["/api/handoffs"] = 500
    done = run(handoff.ActionStartHandoff(), tracker("a person please", slots=SEEN))
    assert done.texts() == [said("utter_handoff_contact", "en")]
    assert done.slots["handoff_state"] is None


def test_stopping_ends_a_handoff_in_the_web_app(webapp: FakeWebApp):
    webapp.replies[f"/api/handoffs/{SENDER}/end"] = {"open": False}
    done = run(
        handoff.ActionStopHandoff(),
        tracker("/stop_handoff", "stop_handoff", slots={**SEEN, "handoff_state": "queued"}),
    )
    assert webapp.paths() == [f"/api/handoffs/{SENDER}/end"]
    assert done.texts() == [said("utter_handoff_ended", "en")]
    assert done.slots["handoff_state"] is None


def test_stopping_without_a_handoff_declines_the_offer(webapp: FakeWebApp):
    done = run(
        handoff.ActionStopHandoff(),
        tracker("no thanks", "stop_handoff", slots={**SEEN, "handoff_state": "offered"}),
    )
    assert webapp.requests == []
    assert done.texts() == [said("utter_handoff_declined", "en")]
    assert done.slots["handoff_state"] == "declined"


def test_yes_to_the_offer_starts_the_handoff_and_no_declines_it(webapp: FakeWebApp):
    webapp.replies["/api/handoffs"] = {"state": "active"}
    offered = {**SEEN, "handoff_state": "offered"}
    done = run(handoff.ActionConfirm(), tracker("yes", "affirm", slots=offered))
    assert webapp.paths() == ["/api/handoffs"]
    assert done.slots["handoff_state"] == "active"
    done = run(handoff.ActionConfirm(), tracker("no", "deny", slots=offered))
    assert done.responses() == ["utter_handoff_declined"]
    assert done.slots["handoff_state"] == "declined"


def test_a_ticket_draft_asks_for_what_it_still_needs(webapp: FakeWebApp):
    webapp.replies[RELAY] = {"open": True, "state": "ticket_draft", "needs": "email"}
    drafting = {**SEEN, "handoff_state": "ticket_draft"}
    done = run(kb.ActionAnswerQuestion(), tracker("my permit question", slots=drafting))
    assert webapp.paths() == [RELAY]
    assert done.texts() == [said("utter_ticket_ask_email", "en")]
    assert done.events == [LISTEN]


def test_a_completed_ticket_ends_the_handoff(webapp: FakeWebApp):
    webapp.replies[RELAY] = {"open": True, "state": "ticket"}
    drafting = {**SEEN, "handoff_state": "ticket_draft"}
    done = run(kb.ActionAnswerQuestion(), tracker("me@example.com", slots=drafting))
    assert done.texts() == [said("utter_ticket_created", "en")]
    assert done.slots["handoff_state"] is None


def test_a_conversation_handed_back_meanwhile_is_answered_by_the_bot(webapp: FakeWebApp):
    webapp.replies[RELAY] = {"open": False}
    webapp.replies["/api/search"] = {"decision": "no_match", "results": [], "lang": "en"}
    done = run(
        kb.ActionAnswerQuestion(),
        tracker("one more thing", slots={**SEEN, "handoff_state": "active"}),
    )
    assert webapp.paths() == [RELAY, "/api/search"]
    assert said("utter_no_match", "en") in done.texts()
    first = done.events[0]
    assert (first["name"], first["value"]) == ("handoff_state", None)
