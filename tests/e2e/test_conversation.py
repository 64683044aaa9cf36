"""Conversations with the real stack over Rasa's REST channel (issue #3, "Done when")."""

from __future__ import annotations

import sqlite3

import httpx
import pytest

from tests.e2e.chat import Chat, customs, first_paragraph, handoff_replies, response_text, texts

pytestmark = pytest.mark.e2e


def test_ukrainian_greeting_comes_in_ukrainian_with_the_privacy_notice(chat, domain):
    reply = texts(chat.say("Привіт"))
    assert first_paragraph(response_text(domain, "utter_privacy_notice", "uk")) in reply
    assert first_paragraph(response_text(domain, "utter_greet", "uk")) in reply


def test_polish_greeting_comes_in_polish(chat, domain):
    reply = texts(chat.say("Cześć"))
    assert first_paragraph(response_text(domain, "utter_greet", "pl")) in reply


def test_card_fee_question_in_ukrainian_is_answered_from_the_knowledge_base(chat, domain):
    messages = chat.say("скільки коштує карта побиту?")
    assert {"kb_id": "card.fees"} in customs(messages)
    reply = texts(messages)
    assert "100" in reply and "https://mos.cudzoziemcy.gov.pl" in reply
    assert "Перевірено: " in reply  # the answer's review date, in the user's language
    assert response_text(domain, "utter_ask_helpful", "uk") in reply
    buttons = [b for m in messages for b in m.get("buttons", [])]
    assert '/feedback{"helpful": "yes"}' in [b["payload"] for b in buttons]


def test_weather_gets_an_apology_and_a_consultant_offer(chat, domain):
    messages = chat.say("what's the weather?")
    reply = texts(messages)
    assert first_paragraph(response_text(domain, "utter_no_match", "en")) in reply
    assert {"handoff": "offered"} in customs(messages)
    assert response_text(domain, "utter_offer_handoff", "en") in reply


def test_asking_for_a_person_in_polish_starts_a_handoff_in_polish(chat, domain):
    messages = chat.say("chcę rozmawiać z człowiekiem")
    [payload] = [c for c in customs(messages) if "handoff" in c]
    assert payload["handoff"] in ("queued", "ticket")  # a ticket when no consultant is online
    assert handoff_replies(domain, "pl")[payload["handoff"]] in texts(messages)
    relayed = chat.say("Ile kosztuje karta pobytu?")  # goes to the consultants, not to search
    if payload["handoff"] == "queued":
        assert relayed == []
    else:
        assert response_text(domain, "utter_ticket_ask_email", "pl") in texts(relayed)
    ended = chat.say("nie potrzebuję już pomocy")
    assert response_text(domain, "utter_handoff_ended", "pl") in texts(ended)
    assert {"kb_id": "card.fees"} in customs(chat.say("Ile kosztuje karta pobytu?"))


def test_a_declined_offer_is_not_repeated_on_the_next_miss(chat, domain):
    assert {"handoff": "offered"} in customs(chat.say("Who will win the football match tonight?"))
    declined = texts(chat.say("/deny"))
    assert response_text(domain, "utter_handoff_declined", "en") in declined
    second_miss = chat.say("Which pizzeria near the Main Square is the best?")
    assert first_paragraph(response_text(domain, "utter_no_match", "en")) in texts(second_miss)
    assert {"handoff": "offered"} not in customs(second_miss)


def test_clarification_choice_and_feedback(chat, domain, stack):
    messages = chat.say('/choose_entry{"kb_entry": "card.loss"}', metadata={"language": "en"})
    assert {"kb_id": "card.loss"} in customs(messages)
    reply = texts(chat.say('/feedback{"helpful": "no"}'))
    assert response_text(domain, "utter_feedback_negative", "en") in reply
    # Nothing is recorded twice: the question is answered, the feedback stored once.
    again = texts(chat.say('/feedback{"helpful": "no"}'))
    assert response_text(domain, "utter_feedback_negative", "en") in again
    db = stack.config.var_dir / "faq.db"
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT kb_id, helpful FROM feedback WHERE sender_id = ?", (chat.sender,)
        ).fetchall()
    assert rows == [("card.loss", 0)]
    assert httpx.get(f"{stack.config.web_url}/health").json()["entries"] >= 41


def test_a_clarification_always_offers_none_of_these(chat, domain):
    english = {"language": "en"}
    several = chat.say("residence", metadata=english)
    assert response_text(domain, "utter_clarify", "en") in texts(several)
    *topics, none = [b for m in several for b in m.get("buttons", [])]
    assert len(topics) >= 2 and all(b["payload"].startswith("/choose_entry") for b in topics)
    assert none == {"title": "None of these", "payload": "/none_of_these"}
    rephrase = chat.say(none["payload"], metadata=english)
    assert response_text(domain, "utter_rephrase", "en") in texts(rephrase)
    assert {"handoff": "offered"} in customs(rephrase)  # the first miss of a streak
    # One candidate: "Did you mean …?" (here in Polish), answered by its "yes".
    single = chat.say("praca w Polsce")
    assert response_text(domain, "utter_did_you_mean", "pl").split("{")[0] in texts(single)
    yes, no = [b for m in single for b in m.get("buttons", [])]
    assert (yes["title"], no) == ("Tak", {"title": "Nie", "payload": "/none_of_these"})
    assert {"kb_id": yes["payload"].split('"')[-2]} in customs(chat.say(yes["payload"]))


def test_explicit_language_choice_sticks(chat, domain):
    reply = texts(chat.say("in English please"))
    assert response_text(domain, "utter_language_set", "en") in reply
    messages = chat.say("Ile kosztuje karta pobytu?")
    assert {"kb_id": "card.fees"} in customs(messages)
    assert response_text(domain, "utter_ask_helpful", "en") in texts(messages)


def test_channel_hint_sets_the_language_of_an_ambiguous_first_message(chat, domain):
    reply = texts(chat.say("ok", metadata={"language": "ru-RU"}))
    assert first_paragraph(response_text(domain, "utter_privacy_notice", "ru")) in reply


def test_personal_data_gets_a_warning_and_is_not_asked_for(chat, domain):
    reply = texts(chat.say("Mój paszport to AB1234567, ile kosztuje karta pobytu?"))
    assert first_paragraph(response_text(domain, "utter_personal_data_warning", "pl")) in reply


def test_oversized_message_is_refused_clearly(chat, domain):
    reply = texts(chat.say("Ile kosztuje karta pobytu? " + "bardzo " * 200))
    assert response_text(domain, "utter_message_too_long", "pl") in reply


def test_markup_is_treated_as_text(chat):
    messages = chat.say("<script>alert(1)</script> ile kosztuje karta pobytu")
    assert {"kb_id": "card.fees"} in customs(messages)


def test_conversation_survives_a_restart_of_every_process(stack, domain):
    chat = Chat(stack.config.rasa_url)
    chat.say("in English please")
    for name in ("rasa", "actions", "webapp"):
        stack.restart(name)
    messages = chat.say("Ile kosztuje karta pobytu?")
    assert {"kb_id": "card.fees"} in customs(messages)
    assert response_text(domain, "utter_ask_helpful", "en") in texts(messages)
