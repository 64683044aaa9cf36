"""Whether an answer helped: recorded once in the web app, thanked either way."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions import feedback
from tests.actions.fakes import SENDER, FakeWebApp, run, tracker

ANSWERED = {
    "language": "uk",
    "last_kb_id": "card.fees",
    "last_question": "скільки коштує карта?",
}


def _pressed(helpful: str, slots: dict) -> Tracker:
    entities = [{"entity": "helpful", "value": helpful}]
    return tracker(f'/feedback{{"helpful": "{helpful}"}}', "feedback", slots, entities)


def test_helpful_is_recorded_with_the_question_and_thanked(webapp: FakeWebApp):
    webapp.replies["/api/feedback"] = {"ok": True}
    done = run(feedback.ActionStoreFeedback(), _pressed("yes", ANSWERED))
    [request] = webapp.requests
    assert request.body == {
        "kb_id": "card.fees",
        "helpful": True,
        "lang": "uk",
        "question": "скільки коштує карта?",
        "sender_id": SENDER,
    }
    assert done.responses() == ["utter_feedback_positive"]
    assert done.slots["last_kb_id"] is None  # once per answer


def test_not_helpful_is_recorded_and_apologised_for(webapp: FakeWebApp):
    webapp.replies["/api/feedback"] = {"ok": True}
    done = run(feedback.ActionStoreFeedback(), _pressed("no", ANSWERED))
    assert webapp.requests[0].body["helpful"] is False
    assert done.responses() == ["utter_feedback_negative"]


def test_a_second_press_records_nothing_more(webapp: FakeWebApp):
    done = run(feedback.ActionStoreFeedback(), _pressed("yes", {**ANSWERED, "last_kb_id": None}))
    assert webapp.requests == []
    assert done.responses() == ["utter_feedback_positive"]


def test_without_the_web_app_the_user_is_still_thanked(webapp: FakeWebApp):
    webapp.replies["/api/feedback"] = 500
    done = run(feedback.ActionStoreFeedback(), _pressed("yes", ANSWERED))
    assert webapp.paths() == ["/api/feedback"]
    assert done.responses() == ["utter_feedback_positive"]
