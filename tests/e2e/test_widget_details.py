"""The widget's rough edges (issue #15): contact links, the phone modal, 400 % zoom, the
consultant button while a consultant is coming or there."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import kb_answer_start, open_panel, send, wait_for_bot_text
from tests.e2e.chat import handoff_replies, response_text
from tests.e2e.consultant import Consultant

pytestmark = pytest.mark.e2e


@pytest.fixture
def phone(stack: Any, browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="pl-PL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{stack.config.web_url}/")
    yield page
    context.close()


def test_phone_numbers_and_e_mail_addresses_are_links(phone: Any) -> None:
    errors: list[str] = []
    phone.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    open_panel(phone)
    send(phone, "Jaki jest numer telefonu do INFO.OPT?")
    wait_for_bot_text(phone, kb_answer_start("pl", "office.contact"))
    answer = phone.locator("#infoopt-chat-log .ic-msg.ic-bot", has_text="info.opt@muw.pl").last
    assert answer.locator('a[href="tel:+48122102020"]').inner_text() == "+48 12 210 20 20"
    assert answer.locator('a[href="mailto:info.opt@muw.pl"]').inner_text() == "info.opt@muw.pl"
    # Web links still open in a new tab, and the page's CSP refused nothing.
    assert answer.locator('a[href="https://infoopt.pl/"][target=_blank]').count() == 1
    assert not [e for e in errors if "Content Security Policy" in e]


def test_on_a_phone_the_open_panel_keeps_the_focus(phone: Any) -> None:
    open_panel(phone)
    assert phone.get_attribute("#infoopt-chat-panel", "aria-modal") == "true"
    inside = "document.getElementById('infoopt-chat-panel').contains(document.activeElement)"
    for key in ["Tab"] * 12 + ["Shift+Tab"] * 12:
        phone.keyboard.press(key)
        assert phone.evaluate(inside), key


def test_at_400_percent_zoom_the_conversation_keeps_a_third_of_the_height(
    stack: Any, browser: Any
) -> None:
    # 400 % of a 1280 x 900 window: 320 x 225 CSS pixels.
    context = browser.new_context(viewport={"width": 320, "height": 225})
    page = context.new_page()
    page.goto(f"{stack.config.web_url}/")
    open_panel(page)
    log_height = page.evaluate(
        "document.getElementById('infoopt-chat-log').getBoundingClientRect().height"
    )
    assert log_height >= 225 / 3
    context.close()


def test_the_consultant_button_waits_while_a_consultant_is_coming(
    stack: Any, staff: Any, domain: Any, phone: Any
) -> None:
    Consultant(stack.config.web_url, "consultant")  # online, so the request is queued
    open_panel(phone)
    human = phone.locator("#infoopt-chat-human")
    assert human.is_enabled()
    human.click()
    wait_for_bot_text(phone, handoff_replies(domain, "pl")["queued"])
    # The queued state comes as a payload right after the text.
    phone.wait_for_function("() => document.getElementById('infoopt-chat-human').disabled")
    send(phone, "nie potrzebuję już pomocy")
    wait_for_bot_text(phone, response_text(domain, "utter_handoff_ended", "pl").splitlines()[0])
    phone.wait_for_function("() => !document.getElementById('infoopt-chat-human').disabled")
