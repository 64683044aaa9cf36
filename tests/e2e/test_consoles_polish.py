"""The staff and consultant consoles in Polish, in a browser under the pages' CSP (issue #15)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.settings import ROOT
from tests.e2e.browser import SCREENSHOTS, assert_clean, go_online, kb_text, staff_login
from tests.e2e.chat import Chat, customs

pytestmark = pytest.mark.e2e

STAFF_PAGES = [
    "/staff/",
    "/staff/entries/card.fees",
    "/staff/history",
    "/staff/inbox",
    "/staff/transfer",
    "/staff/dashboard",
    "/staff/dialogue",
    "/staff/users",
]
README_SHOTS = ROOT / "docs" / "screenshots"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))
    README_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(README_SHOTS / name))


def test_the_staff_console_in_polish(stack, staff, polish):
    web = stack.config.web_url
    page = polish.new_page()
    page.goto(f"{web}/login")
    assert page.get_attribute("html", "lang") == "pl"
    assert page.locator("h1").inner_text() == "Logowanie pracowników"
    assert_clean(page)
    staff_login(page, web, "admin")
    for path in STAFF_PAGES:
        page.goto(f"{web}{path}")
        assert page.get_attribute("html", "lang") == "pl", path
        assert page.locator("nav a[href='/staff/']").inner_text() == "Baza wiedzy"
        assert_clean(page)
        if path == "/staff/entries/card.fees":
            _shot(page, "staff-console-pl.png")

    # A failed save: the page says so in Polish and the keyboard starts at the first problem.
    page.goto(f"{web}/staff/entries/card.fees")
    page.fill("#f-en-answer", "")
    page.click("#save")
    page.wait_for_selector("#save-errors")
    assert "Nic nie zapisano" in page.locator("#save-errors").inner_text()
    first_error = page.locator("#editor [aria-invalid=true]").first.get_attribute("id")
    assert page.evaluate("document.activeElement.id") == first_error
    assert_clean(page)

    # English on request, remembered on the account.
    page.goto(f"{web}/staff/?lang=en")
    assert page.locator("nav a[href='/staff/']").inner_text() == "Knowledge base"
    polish.clear_cookies()
    staff_login(page, web, "admin")
    assert page.get_attribute("html", "lang") == "en"
    page.goto(f"{web}/staff/?lang=pl")


def test_a_polish_consultant_session(stack, staff, polish):
    web = stack.config.web_url
    console = polish.new_page()
    staff_login(console, web, "consultant")
    go_online(console)  # so a request is queued
    assert console.locator("h1").count() == 1
    assert_clean(console)  # idle

    chat = Chat(stack.config.rasa_url)
    # The queue shows the question that led to the handoff: the last one the bot answered.
    question = "Ile kosztuje karta pobytu?"
    chat.say(question)
    assert {"handoff": "queued"} in customs(chat.say("Proszę o połączenie z konsultantem"))

    item = console.locator("#queue li", has_text=question).last
    item.wait_for(timeout=10_000)
    open_button = item.locator("button.open")
    assert open_button.inner_text() == "Otwórz"
    assert question in (open_button.get_attribute("aria-label") or "")
    open_button.click()
    console.wait_for_selector("#claim:visible")
    assert console.locator("#claim").inner_text() == "Przejmij tę rozmowę"
    # The bot's answer is shown formatted, not as raw markdown.
    answer = console.locator("#transcript li.bot", has=console.locator("strong")).first
    answer.wait_for(timeout=10_000)
    assert "**" not in answer.inner_text()
    assert console.get_attribute("#transcript", "tabindex") == "0"
    assert_clean(console)  # a queued conversation open, the claim button showing

    console.click("#claim")
    console.wait_for_selector("#reply-box:visible")
    first_line = console.locator("#transcript li").first.element_handle()
    console.fill("#reply", "Dzień dobry, tu konsultantka Anna.")
    console.click("#send")
    console.locator("#transcript li.consultant", has_text="konsultantka Anna").wait_for(
        timeout=10_000
    )
    # Updated in place: the lines already shown are the same nodes, not a rebuilt list.
    assert console.evaluate("(node) => node.isConnected", first_line)
    console.fill("#kb-search", "ile kosztuje karta pobytu")
    console.click("#kb-box button[type=submit]")
    found = console.locator("#kb-results li").first
    found.wait_for(timeout=10_000)
    # Each button is named by its entry's own title, so a screen reader tells them apart.
    title = kb_text("pl", found.get_attribute("data-id") or "")["title"]
    assert title and found.locator(".kb-insert").get_attribute("aria-label") == f"Wstaw: {title}"
    _shot(console, "consultant-console-pl.png")
    assert_clean(console)  # during a conversation
    console.click("#resolve")
    console.locator("#status", has_text="Oznaczono jako rozwiązaną").wait_for(timeout=10_000)
