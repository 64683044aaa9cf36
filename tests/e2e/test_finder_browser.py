"""The permit finder in the web chat on a 360 px phone, in Ukrainian, to the printable page."""

from __future__ import annotations

import pytest

from bot.finder import load_tree
from bot.kb.loader import load_kb
from bot.settings import ROOT
from tests.e2e.browser import SCREENSHOTS, open_panel, send, wait_for_bot_text
from tests.e2e.chat import response_text

pytestmark = pytest.mark.e2e


def test_a_ukrainian_path_on_a_phone_ends_in_a_printable_checklist(browser, stack, domain):
    tree = load_tree(ROOT / "data" / "finder.yml", load_kb(ROOT / "data" / "kb").ids)
    purpose = tree.questions["purpose"]
    where = tree.questions["study_where"]
    context = browser.new_context(
        locale="uk-UA", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{stack.config.web_url}/")
    open_panel(page)
    send(page, "який дозвіл мені потрібен?")
    wait_for_bot_text(page, purpose.text["uk"])
    page.locator(".ic-quick-reply").last.scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "finder-360px.png"))
    page.locator(".ic-quick-reply", has_text=purpose.option("study").label["uk"]).click()
    wait_for_bot_text(page, where.text["uk"])
    page.locator(".ic-quick-reply", has_text=where.option("poland").label["uk"]).click()
    wait_for_bot_text(page, response_text(domain, "utter_finder_disclaimer", "uk"))
    # Nothing sticks out sideways on a narrow screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    link = page.locator("#infoopt-chat-log a[href*='/finder/checklist']").last
    with context.expect_page() as opened:
        link.click()
    checklist = opened.value
    checklist.wait_for_load_state()
    assert checklist.locator("h1").inner_text() == response_text(
        domain, "utter_finder_page_title", "uk"
    )
    titles = checklist.locator("li.item h2").all_inner_texts()
    assert len(titles) == len(where.option("poland").result)
    assert checklist.evaluate("document.documentElement.scrollWidth") <= 360
    checklist.screenshot(path=str(SCREENSHOTS / "finder-checklist-360px.png"))
    checklist.emulate_media(media="print")
    assert checklist.locator("button").is_hidden()
    context.close()
