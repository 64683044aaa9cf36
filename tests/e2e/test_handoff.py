"""Handoff to a consultant on the real stack (issue #6): web chat in a browser, claims,
restarts. Telegram's flow is in test_telegram.py, tickets in test_handoff_tickets.py."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import pytest

from bot.responses import fill
from tests.e2e.browser import (
    SCREENSHOTS,
    axe_violations,
    go_online,
    open_panel,
    send,
    staff_login,
    wait_for_bot_text,
)
from tests.e2e.chat import Chat, customs, handoff_replies, response_text
from tests.e2e.consultant import Consultant

pytestmark = pytest.mark.e2e


def first_words(domain: dict[str, Any], name: str, lang: str) -> str:
    return response_text(domain, name, lang).split("{")[0].split("\n")[0].strip()


def test_web_chat_user_and_consultant_talk_then_the_bot_answers_again(
    browser, stack, staff, domain
):
    web = stack.config.web_url
    console_context = browser.new_context(viewport={"width": 1280, "height": 900})
    console = console_context.new_page()
    staff_login(console, web, "consultant")
    go_online(console)
    user_context = browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 800})
    user = user_context.new_page()
    # Conversations other tests left queued may ask the same question: this one is the new item.
    queued_before = console.locator("#queue li").evaluate_all(
        "items => items.map(li => li.dataset.id)"
    )
    user.goto(f"{web}/")
    open_panel(user)
    send(user, "Ile kosztuje karta pobytu?")  # the bot answers first: the transcript shows it
    wait_for_bot_text(user, first_words(domain, "utter_ask_helpful", "pl"))
    send(user, "Chcę porozmawiać z konsultantem")
    wait_for_bot_text(user, handoff_replies(domain, "pl")["queued"])

    # The queue shows the conversation's question: the one asked before the request.
    new_id = console.wait_for_function(
        """([before, question]) => {
            const item = [...document.querySelectorAll("#queue li")].find(
                (li) => !before.includes(li.dataset.id) && li.textContent.includes(question));
            return item ? item.dataset.id : null;
        }""",
        arg=[queued_before, "Ile kosztuje karta pobytu?"],
        timeout=10_000,
    ).json_value()
    item = console.locator(f"#queue li[data-id='{new_id}']")
    assert "PL · webchat" in item.inner_text()
    item.locator("button.open").click()
    console.click("#claim")
    wait_for_bot_text(user, first_words(domain, "utter_handoff_claimed", "pl"))

    console.fill("#reply", "Dzień dobry, tu konsultantka Anna. W czym mogę pomóc?")
    console.click("#send")
    wait_for_bot_text(user, "tu konsultantka Anna", timeout=10_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(SCREENSHOTS / "consultant-console.png"))
    assert axe_violations(console) == []

    send(user, "Moja karta pobytu straciła ważność wczoraj, co teraz?")
    # The bot is silent while the consultant has the chat, so it does not "type" either.
    assert user.locator("#infoopt-chat-log .ic-typing").is_hidden()
    console.locator("#transcript li.user", has_text="straciła ważność wczoraj").wait_for(
        timeout=10_000
    )
    # The transcript shows what the bot said before, too.
    assert console.locator("#transcript li.bot").count() >= 1

    console.fill("#kb-search", "ile kosztuje karta pobytu")
    console.click("#kb-box button[type=submit]")
    console.locator("#kb-results .kb-insert").first.click()
    assert "zł" in console.input_value("#reply")
    console.fill("#reply", "")

    console.click("#handback")
    wait_for_bot_text(user, first_words(domain, "utter_handoff_returned", "pl"))
    send(user, "Ile kosztuje karta pobytu?")
    # The bot answers again: a second "did this help?" after the one before the handoff.
    user.wait_for_function(
        """text => [...document.querySelectorAll('#infoopt-chat-log .ic-msg.ic-bot')]
            .filter(m => m.innerText.includes(text)).length >= 2""",
        arg=response_text(domain, "utter_ask_helpful", "pl"),
        timeout=30_000,
    )
    console_context.close()
    user_context.close()


def test_two_consultants_claiming_at_once_exactly_one_gets_it(stack, staff, domain):
    first = Consultant(stack.config.web_url, "consultant")
    second = Consultant(stack.config.web_url, "consultant2")
    chat = Chat(stack.config.rasa_url)
    assert {"handoff": "queued"} in customs(chat.say("Proszę o połączenie z konsultantem"))
    handoff = first.wait_for("queue", "Proszę o połączenie z konsultantem")
    barrier = threading.Barrier(2)
    responses: list[httpx.Response] = []

    def claim(consultant: Consultant) -> None:
        barrier.wait()
        responses.append(consultant.post(f"conversations/{handoff['id']}/claim"))

    threads = [threading.Thread(target=claim, args=(c,)) for c in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in responses) == [200, 409]
    [refused] = [r for r in responses if r.status_code == 409]
    # The console is Polish unless the consultant chose English: the refusal names who has it.
    assert refused.json()["detail"] in (
        "rozmowę przejął już consultant",
        "rozmowę przejął już consultant2",
    )


def test_restarting_the_web_app_and_rasa_during_a_handoff_loses_no_message(stack, staff, domain):
    consultant = Consultant(stack.config.web_url, "consultant")
    chat = Chat(stack.config.rasa_url)
    assert {"handoff": "queued"} in customs(chat.say("Potrzebuję konsultanta, pilne"))
    handoff = consultant.wait_for("queue", "Potrzebuję konsultanta, pilne")
    assert consultant.post(f"conversations/{handoff['id']}/claim").status_code == 200

    stack.stop_one("webapp")
    assert chat.say("Piszę, gdy aplikacja nie działa") == []  # Rasa keeps it; bot stays silent
    stack.start_one("webapp")
    consultant = Consultant(stack.config.web_url, "consultant")
    consultant.wait_for_line(handoff["id"], "user", "gdy aplikacja nie działa")

    stack.stop_one("rasa")
    sent = consultant.post(f"conversations/{handoff['id']}/messages", {"text": "Odpowiedź A"})
    assert sent.status_code == 201
    stack.start_one("rasa")
    # Signed as a consultant's: this one has no display name.
    says = response_text(domain, "utter_consultant_says", "pl")
    unnamed = response_text(domain, "utter_consultant_unnamed", "pl")
    signed = fill(says, {"name": unnamed, "message": "Odpowiedź A"})
    deadline = time.monotonic() + 60
    tracker = f"{stack.config.rasa_url}/conversations/{chat.sender}/tracker"
    while True:
        events = httpx.get(tracker, params={"token": stack.config.rasa_token}).json()["events"]
        if any(e.get("event") == "bot" and e.get("text") == signed for e in events):
            break
        assert time.monotonic() < deadline, "the consultant's reply never reached Rasa"
        time.sleep(0.5)
    assert chat.say("Dziękuję, a co z kartą?") == []  # still with the consultant after restarts
    consultant.wait_for_line(handoff["id"], "user", "a co z kartą?")
    consultant.post(f"conversations/{handoff['id']}/handback", {"resolved": True})
    resolved = response_text(domain, "utter_handoff_resolved", "pl")
    deadline = time.monotonic() + 30
    while True:
        events = httpx.get(tracker, params={"token": stack.config.rasa_token}).json()["events"]
        if any(e.get("event") == "bot" and e.get("text") == resolved for e in events):
            break
        assert time.monotonic() < deadline, "the user was not told the handoff ended"
        time.sleep(0.5)
    assert {"kb_id": "card.fees"} in customs(chat.say("Ile kosztuje karta pobytu?"))
