"""The web chat in Debian's Chromium, driven by Playwright, against the real stack (issue #4)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.browser import (
    SCREENSHOTS,
    axe_violations,
    bot_messages,
    kb_answer_start,
    open_panel,
    send,
    wait_for_bot_text,
)
from tests.e2e.chat import first_paragraph, handoff_replies, response_text

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser, stack) -> Iterator[Any]:
    context = browser.new_context(locale="uk-UA", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    page.goto(f"{stack.config.web_url}/")
    yield page
    context.close()


def test_ukrainian_question_quick_reply_and_history(page, domain):
    open_panel(page)
    assert page.evaluate("document.activeElement.id") == "infoopt-chat-input"
    send(page, "скільки коштує карта побиту?")
    wait_for_bot_text(page, kb_answer_start("uk", "card.fees"))
    wait_for_bot_text(page, response_text(domain, "utter_ask_helpful", "uk"))
    no = page.locator(".ic-quick-reply", has_text="Ні")
    no.click()
    wait_for_bot_text(page, first_paragraph(response_text(domain, "utter_feedback_negative", "uk")))
    assert page.locator(".ic-quick-reply", has_text="Ні").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "webchat-desktop.png"))
    before = bot_messages(page)
    page.reload()
    page.wait_for_selector("#infoopt-chat-log .ic-msg.ic-bot")
    if not page.locator("#infoopt-chat-panel").is_visible():
        open_panel(page)
    assert bot_messages(page) == before


def test_switching_to_english_changes_widget_and_replies(page, domain):
    open_panel(page)
    label_before = page.locator("label[for=infoopt-chat-input]").inner_text()
    page.select_option("#infoopt-chat-lang", "en")
    wait_for_bot_text(page, response_text(domain, "utter_language_set", "en"))
    assert page.locator("label[for=infoopt-chat-input]").inner_text() != label_before
    page.evaluate(
        """() => {
            const typing = document.querySelector('#infoopt-chat-log .ic-typing');
            window.typingShown = false;
            new MutationObserver(() => { if (!typing.hidden) window.typingShown = true; })
                .observe(typing, {attributes: true});
        }"""
    )
    send(page, "Ile kosztuje karta pobytu?")
    wait_for_bot_text(page, response_text(domain, "utter_ask_helpful", "en"))
    # The typing indicator showed while waiting and went away with the reply.
    assert page.evaluate("window.typingShown") is True
    assert page.locator("#infoopt-chat-log .ic-typing").is_hidden()


def test_markup_typed_by_a_user_is_shown_as_text(page):
    open_panel(page)
    attack = "<img src=x onerror=alert(1)>"
    send(page, attack)
    page.wait_for_selector("#infoopt-chat-log .ic-msg.ic-user")
    users = page.locator("#infoopt-chat-log .ic-msg.ic-user").all_inner_texts()
    assert any(attack in u for u in users)
    assert page.locator("#infoopt-chat-log img").count() == 0
    page.wait_for_timeout(1000)
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_empty_and_oversized_messages_are_not_sent(page):
    open_panel(page)
    send(page, "   ")
    send(page, "x" * 1001)
    page.wait_for_selector("#infoopt-chat-limit", state="visible")
    assert page.locator("#infoopt-chat-log .ic-msg.ic-user").count() == 0


@pytest.mark.parametrize(
    "viewport",
    # 1280 px, a 360 px phone, and a 1280 x 800 window at 200 % zoom.
    [{"width": 1280, "height": 800}, {"width": 360, "height": 740}, {"width": 640, "height": 400}],
)
def test_open_panel_has_no_axe_violations(page, viewport):
    page.set_viewport_size(viewport)
    open_panel(page)
    page.wait_for_selector(".ic-quick-reply")  # the greeting with its suggested topics
    assert axe_violations(page) == []
    send(page, "Cześć")
    page.wait_for_selector("#infoopt-chat-log .ic-msg.ic-bot")
    send(page, "скільки коштує карта побиту?")
    wait_for_bot_text(page, kb_answer_start("uk", "card.fees"))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"webchat-{viewport['width']}px.png"))
    violations = [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in axe_violations(page)
    ]
    assert violations == [], json.dumps(violations, indent=1)


def test_keyboard_opens_and_escape_closes_returning_focus(page):
    page.focus("#infoopt-chat-launcher")
    page.keyboard.press("Enter")
    page.wait_for_selector("#infoopt-chat-panel", state="visible")
    assert page.get_attribute("#infoopt-chat-launcher", "aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "infoopt-chat-input"
    page.keyboard.press("Escape")
    page.wait_for_selector("#infoopt-chat-panel", state="hidden")
    assert page.evaluate("document.activeElement.id") == "infoopt-chat-launcher"
    assert page.get_attribute("#infoopt-chat-launcher", "aria-expanded") == "false"


def test_consultant_button_and_unread_badge(page, domain):
    open_panel(page)
    page.click("#infoopt-chat-human")
    page.keyboard.press("Escape")  # close at once: the reply arrives while closed
    page.wait_for_selector("#infoopt-chat-badge", state="visible", timeout=30_000)
    assert int(page.inner_text("#infoopt-chat-badge")) >= 1
    open_panel(page)
    assert page.locator("#infoopt-chat-badge").is_hidden()
    # Queued, or a ticket when no consultant is online: either way in Ukrainian.
    wait_for_bot_text(page, list(handoff_replies(domain, "uk").values()))
    send(page, "мені більше не потрібна допомога")
    wait_for_bot_text(page, response_text(domain, "utter_handoff_ended", "uk"))


def test_messages_typed_while_offline_are_sent_after_reconnecting(page, stack, domain):
    open_panel(page)
    send(page, "Привіт")
    wait_for_bot_text(page, response_text(domain, "utter_greet", "uk").splitlines()[0])
    stack.stop_one("rasa")
    page.wait_for_function(
        # A function, not an expression: the page's CSP forbids evaluating strings.
        "() => document.querySelector('#infoopt-chat-status').innerText.trim().length > 0",
        timeout=30_000,
    )
    send(page, "скільки коштує карта побиту?")
    page.wait_for_selector("#infoopt-chat-log .ic-msg.ic-user.ic-pending")
    stack.start_one("rasa")
    wait_for_bot_text(page, kb_answer_start("uk", "card.fees"), timeout=90_000)
    assert page.locator("#infoopt-chat-log .ic-pending").count() == 0
