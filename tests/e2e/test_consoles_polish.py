"""The staff and consultant consoles in Polish, in a browser under the pages' CSP (issue #15)."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from bot.settings import ROOT
from tests.e2e.browser import (
    SCREENSHOTS,
    assert_clean,
    go_online,
    kb_text,
    preview_import,
    staff_login,
)
from tests.e2e.chat import Chat, customs
from tests.e2e.test_staff_console import UNANSWERED

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
    "/staff/finder",
    "/staff/entries/new",
    "/account/password",
]
"""Every page of the staff console as a fresh stack has it (see the test with data for the
rest: history with diffs, inbox, dashboard, import preview, the refusal of a wrong role)."""
POLISH_DAY = re.compile(r"\d{1,2} (sty|lut|mar|kwi|maj|cze|lip|sie|wrz|paź|lis|gru)( \d{4})?")
"""A day as the Polish console writes it: "27 lis 2026", or "27 lis" under a chart."""
EDITED = "proc.translation"
"""An entry no other browser test reads: the test with data edits its Polish answer."""
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
        if path == "/staff/":
            # The review dates in Polish, not as ISO dates.
            reviewed = page.locator("td time").all_inner_texts()
            assert reviewed and all(POLISH_DAY.fullmatch(day) for day in reviewed), reviewed

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


def _no_blank_gaps(page: Any) -> int:
    """Check that the lines of every diff on the page follow each other without blank lines
    (the diff keeps white space, so stray newlines in its markup showed as empty lines);
    returns the number of diff lines seen."""
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('.diff')].map(diff => {
            const lines = [...diff.children];
            const text = [...diff.childNodes].filter(n => n.nodeType === 3)
                .map(n => n.textContent);
            const box = diff.getBoundingClientRect();
            const gaps = [lines[0].getBoundingClientRect().top - box.top,
                          box.bottom - lines[lines.length - 1].getBoundingClientRect().bottom];
            for (let i = 1; i < lines.length; i++) {
                const before = lines[i - 1], after = lines[i];
                const margin = Math.max(parseFloat(getComputedStyle(before).marginBottom),
                                        parseFloat(getComputedStyle(after).marginTop));
                gaps.push(after.getBoundingClientRect().top
                          - before.getBoundingClientRect().bottom - margin);
            }
            return {lines: lines.length, text, widest: Math.max(...gaps)};
        })"""
    )
    assert gaps, page.url
    for diff in gaps:
        assert diff["text"] == [], (page.url, diff)
        assert diff["widest"] < 1, (page.url, diff)
    return sum(diff["lines"] for diff in gaps)


def _chart_labels(page: Any) -> list[list[dict[str, Any]]]:
    """Each dashboard chart's labels: text, rendered font size and horizontal extent."""
    return page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].map(svg => {
            const chart = svg.getBoundingClientRect();
            return [...svg.querySelectorAll('text.chart-tick')].map(label => {
                const box = label.getBoundingClientRect();
                return {
                    text: label.textContent,
                    // The size on screen: CSS size times any scaling of the drawing.
                    px: parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a,
                    left: box.left - chart.left, right: box.right - chart.left,
                    width: chart.width,
                };
            });
        })"""
    )


def test_the_polish_staff_console_with_data(stack, staff, polish, tmp_path: Path):
    """The pages that show conversations and changes, with some to show."""
    web = stack.config.web_url
    chat = Chat(stack.config.rasa_url)
    for question in ("Ile kosztuje karta pobytu?", *UNANSWERED):
        chat.say(question)
    page = polish.new_page()
    staff_login(page, web, "admin")

    # A change with removed, added and unchanged lines.
    page.goto(f"{web}/staff/entries/{EDITED}")
    answer = page.locator("#f-pl-answer")
    paragraphs = answer.input_value().strip().split("\n\n")
    paragraphs[1] = "Tłumaczenie przysięgłe dołącz do każdego dokumentu w języku obcym."
    answer.fill("\n\n".join(paragraphs))
    page.click("#save")
    page.wait_for_selector(".notice")
    assert_clean(page)

    for path in (f"/staff/entries/{EDITED}/history", "/staff/history"):
        page.goto(f"{web}{path}")
        assert page.locator(".diff .d-del").count() and page.locator(".diff .d-add").count()
        assert _no_blank_gaps(page) >= 4, path
        assert_clean(page)

    page.goto(f"{web}/staff/inbox")
    page.locator("section.inbox-group").first.wait_for()
    assert_clean(page)

    page.goto(f"{web}/staff/dashboard")
    assert int(page.locator("#rate-answer").inner_text().split("(")[1].rstrip(")")) >= 1
    # Channel columns say so and name the channel: not "rest" beside the languages' "PL".
    channels = page.locator("thead th.channel").all_inner_texts()
    assert "Kanał: API REST" in channels, channels
    assert all(name.startswith("Kanał: ") for name in channels), channels
    day = page.locator("#days-h ~ table tbody td time").first.inner_text()
    assert POLISH_DAY.search(day), day
    charts = _chart_labels(page)
    assert len(charts) == 3
    for labels in charts:
        assert len(labels) >= 5, labels  # a month's chart is labelled about once a week
        for label in labels:
            assert POLISH_DAY.fullmatch(label["text"]), label
            assert label["px"] >= 12, label  # readable on a 1280 px screen
            assert label["left"] >= 0 and label["right"] <= label["width"] + 0.5, label
        for before, after in pairwise(labels):
            assert before["right"] < after["left"], (before, after)  # no overlap
    assert_clean(page)

    preview_import(page, web, tmp_path, "card.pickup/uk", "Отримання карти (нова назва)")
    assert page.locator(".d-field").all_inner_texts() == ["uk.title"]
    _no_blank_gaps(page)
    assert_clean(page)


def test_a_wrong_role_gets_a_polish_page(stack, staff, polish):
    web = stack.config.web_url
    page = polish.new_page()
    staff_login(page, web, "consultant")
    response = page.goto(f"{web}/staff/")
    assert response is not None and response.status == 403
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "Brak dostępu"
    assert page.locator("main a[href='/consultant/']").is_visible()  # the way to their work
    assert_clean(page)


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
