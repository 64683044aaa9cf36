"""The reply language: detected every turn unless the user chose one, and explicit choices."""

from __future__ import annotations

from actions import language
from tests.actions.fakes import FakeWebApp, run, said, tracker

DETECT = "/api/detect-language"


def test_a_greeting_is_answered_in_its_language_after_the_privacy_notice(webapp: FakeWebApp):
    webapp.replies[DETECT] = {"lang": "uk"}
    done = run(language.ActionSetLanguage(), tracker("Привіт", "greet", slots={"language": "pl"}))
    assert [r.body for r in webapp.requests] == [{"text": "Привіт"}]
    assert done.texts() == [said("utter_privacy_notice", "uk")]
    assert (done.slots["language"], done.slots["notice_shown"]) == ("uk", True)


def test_a_chosen_language_sticks_without_asking_the_web_app(webapp: FakeWebApp):
    slots = {"language": "en", "language_locked": True, "notice_shown": True}
    done = run(language.ActionSetLanguage(), tracker("Привіт", "greet", slots=slots))
    assert webapp.requests == []
    assert done.events == []  # nothing changes: still English


def test_without_detection_the_language_stays(webapp: FakeWebApp):
    webapp.replies[DETECT] = 503
    slots = {"language": "ru", "notice_shown": True}
    done = run(language.ActionSetLanguage(), tracker("ok", "greet", slots=slots))
    assert webapp.paths() == [DETECT]
    assert done.slots["language"] == "ru" and done.messages == []


def test_choosing_a_language_locks_it_and_confirms_in_it(webapp: FakeWebApp):
    chosen = [{"entity": "language", "value": "ru"}]
    done = run(
        language.ActionChooseLanguage(),
        tracker("по-русски", "choose_language", slots={"language": "pl"}, entities=chosen),
    )
    assert (done.slots["language"], done.slots["language_locked"]) == ("ru", True)
    assert done.texts() == [said("utter_privacy_notice", "ru"), said("utter_language_set", "ru")]


def test_without_a_language_named_the_picker_is_offered(webapp: FakeWebApp):
    done = run(
        language.ActionChooseLanguage(),
        tracker("/start", "choose_language", slots={"language": "en", "notice_shown": True}),
    )
    [picker] = done.messages
    assert picker["text"] == said("utter_choose_language", "en") and picker["buttons"]
    assert "language_locked" not in done.slots
