"""The consultant console's script (bot/web/static/consultant.js) in a Polish browser: lists
updated in place under the keyboard focus, a lost connection, presence, a ticket (issue #15)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser import assert_clean, go_online, staff_login
from tests.e2e.chat import Chat, customs, response_text, texts
from tests.e2e.consultant import Consultant

pytestmark = pytest.mark.e2e

STATE = "/consultant/api/state"


def polls(page: Any, count: int) -> list[dict[str, Any]]:
    """Wait for the console's next `count` answers to its poll; their bodies.

    The script asks again only after it has shown an answer, so when the n-th has arrived the
    ones before it are on the page.
    """
    bodies = []
    for _ in range(count):
        with page.expect_response(lambda r: STATE in r.url and r.ok) as answer:
            pass
        bodies.append(answer.value.json())
    return bodies


def queued(stack: Any, question: str, request: str = "Proszę o połączenie z konsultantem") -> None:
    chat = Chat(stack.config.rasa_url)
    chat.say(question)
    assert {"handoff": "queued"} in customs(chat.say(request))


def test_the_lists_keep_their_nodes_and_the_keyboard_focus_across_polls(stack, staff, polish):
    console = polish.new_page()
    staff_login(console, stack.config.web_url, "consultant")
    go_online(console)
    queued(stack, "Moja karta pobytu pękła, co teraz?")
    item = console.locator("#queue li", has_text="Moja karta pobytu pękła, co teraz?").last
    item.wait_for(timeout=10_000)
    open_button = item.locator("button.open").element_handle()
    # The keyboard's way there: Tab until the button has the focus.
    for _ in range(60):
        console.keyboard.press("Tab")
        if console.evaluate("(button) => document.activeElement === button", open_button):
            break
    else:
        pytest.fail("Tab never reached the conversation's Open button")
    nodes = console.locator("#queue li, #mine li, #tickets li").element_handles()
    waiting = item.locator(".muted").inner_text()

    # Another request arrives and a third is taken by another consultant meanwhile.
    queued(stack, "Zgubiłem kartę pobytu, co mam zrobić?")
    other = Consultant(stack.config.web_url, "consultant2")
    taken = other.wait_for("queue", "Zgubiłem kartę pobytu, co mam zrobić?")
    newcomer = console.locator(f"#queue li[data-id='{taken['id']}']")
    newcomer.wait_for(timeout=10_000)
    assert other.post(f"conversations/{taken['id']}/claim").is_success
    newcomer.wait_for(state="detached", timeout=10_000)
    polls(console, 3)

    assert console.evaluate("(button) => document.activeElement === button", open_button)
    kept = console.evaluate("(nodes) => nodes.filter((node) => node.isConnected).length", nodes)
    assert kept == len(nodes)
    # Only the changed text was rewritten: the time waited goes on.
    assert item.locator(".muted").inner_text() != waiting
    console.keyboard.press("Enter")  # the focused button still works
    console.wait_for_selector("#claim:visible")
    assert "selected" in (item.get_attribute("class") or "")
    # Nothing left waiting in the queue for the tests after this one.
    other.post(f"conversations/{taken['id']}/handback", {"resolved": True}).raise_for_status()
    console.click("#claim")
    console.click("#resolve")
    console.locator("#status", has_text="Oznaczono jako rozwiązaną").wait_for(timeout=10_000)


def test_a_lost_connection_is_shown_until_the_server_answers_again(stack, staff, polish):
    console = polish.new_page()
    staff_login(console, stack.config.web_url, "consultant")
    console.wait_for_selector("body[data-ready=true]")
    status = console.locator("#status")
    assert status.inner_text() == ""

    console.route(f"**{STATE}*", lambda route: route.abort())
    status.filter(has_text="Problem z połączeniem").wait_for(timeout=10_000)
    assert "Ponawiam…" in status.inner_text()
    assert status.get_attribute("role") == "status"

    console.unroute(f"**{STATE}*")
    polls(console, 2)
    assert status.inner_text() == ""


def test_reading_the_console_brings_nobody_online_and_a_ticket_can_be_read(
    stack, staff, polish, domain
):
    web = stack.config.web_url
    # Everybody else who speaks Ukrainian away: the console's reader would be the only one.
    for name in ("admin", "consultant", "consultant2"):
        Consultant(web, name, online=False)
    console = polish.new_page()
    staff_login(console, web, "consultant-uk")
    console.wait_for_selector("body[data-ready=true]")
    assert [body["me"]["available"] for body in polls(console, 2)] == [False, False]
    assert not console.is_checked("#available")

    chat = Chat(stack.config.rasa_url)
    assert {"handoff": "ticket"} in customs(chat.say("з'єднайте з консультантом"))
    chat.say("Коли буде рішення щодо моєї карти побиту?")
    done = chat.say("olena.k@example.com")
    assert response_text(domain, "utter_ticket_created", "uk") in texts(done)

    item = console.locator("#tickets li", has_text="з'єднайте з консультантом").last
    item.wait_for(timeout=10_000)
    item.locator("button.open").click()
    console.locator("#ticket-email", has_text="olena.k@example.com").wait_for(timeout=10_000)
    console.locator("#transcript li.user", has_text="рішення щодо моєї карти").wait_for()
    assert console.is_visible("#ticket-answer") and console.is_enabled("#ticket-send")
    assert_clean(console)  # a ticket open, the answer form showing
    # Reading the conversation did not bring the consultant online either.
    assert not any(body["me"]["available"] for body in polls(console, 2))
    console.click("#ticket-close")
    console.locator("#status", has_text="Zgłoszenie zamknięte").wait_for(timeout=10_000)
