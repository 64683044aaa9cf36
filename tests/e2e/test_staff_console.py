"""The staff console on the real stack: edits reach the bot in seconds, history, inbox, access."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from bot.curation.retrain import rasa_loader
from bot.settings import Settings
from tests.e2e.browser import STAFF_PASSWORD, axe_violations, preview_import, staff_login
from tests.e2e.chat import Chat, customs, texts

pytestmark = pytest.mark.e2e

UK_FEES_QUESTION = "Скільки коштує карта побиту?"
LIVE_SECONDS = 5.0


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def _until(check: Callable[[], bool], timeout: float) -> float:
    """Seconds until `check()` held; fails after `timeout`."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            pytest.fail(f"not true within {timeout:.0f}s")
        time.sleep(0.2)
    return time.monotonic() - started


def _bot_answer(stack: Any, question: str) -> tuple[str, list[dict[str, Any]]]:
    messages = Chat(stack.config.rasa_url).say(question)
    return texts(messages), customs(messages)


def test_a_viewer_without_login_gets_the_login_page(stack, page):
    page.goto(f"{stack.config.web_url}/staff/")
    assert "/login" in page.url
    assert page.locator("#username").is_visible()
    api = httpx.get(f"{stack.config.web_url}/staff/api/preview", params={"text": "x"})
    assert api.status_code == 401


def test_a_consultant_cannot_edit_entries(stack, staff, page):
    web = stack.config.web_url
    page.goto(f"{web}/staff/entries/card.fees")  # redirected to the login form
    page.fill("#username", "consultant")
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_response(lambda r: r.url.endswith("/staff/entries/card.fees")) as target:
        page.click("form[action='/login'] button[type=submit]")
    assert target.value.status == 403
    token = page.context.cookies()
    assert any(c["name"] == "faq_session" for c in token)  # logged in, yet refused


def test_a_form_post_without_the_csrf_token_is_refused(stack, staff, page):
    staff_login(page, stack.config.web_url, "curator")
    page.goto(f"{stack.config.web_url}/staff/entries/card.fees")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    form = {"id": "card.fees", "area": "card", "uk.answer": "hijacked"}
    refused = httpx.post(f"{stack.config.web_url}/staff/entries", data=form, cookies=cookies)
    assert refused.status_code == 403
    # The same session with the page's token is let through to validation.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    accepted = httpx.post(
        f"{stack.config.web_url}/staff/entries", data={**form, "csrf_token": token}, cookies=cookies
    )
    assert accepted.status_code in {409, 422}  # stale/invalid, but past the CSRF check


def test_a_ukrainian_edit_reaches_the_bot_in_seconds_and_reverts(stack, staff, page):
    web = stack.config.web_url
    old_text, old_customs = _bot_answer(stack, UK_FEES_QUESTION)
    assert {"kb_id": "card.fees"} in old_customs
    staff_login(page, web, "curator")
    page.goto(f"{web}/staff/entries/card.fees")
    assert axe_violations(page) == []
    answer = page.locator("#f-uk-answer")
    source = answer.input_value().strip().splitlines()[-1].split()[-1]
    marker = f"Оновлено консольною перевіркою {time.time_ns()}"
    answer.fill(f"{marker}: 100 злотих за картку.\n\n{source}")
    page.click("#save")
    page.wait_for_selector(".notice")
    seconds = _until(lambda: marker in _bot_answer(stack, UK_FEES_QUESTION)[0], LIVE_SECONDS)
    print(f"edit live after {seconds:.1f}s")

    page.goto(f"{web}/staff/entries/card.fees/history")
    latest = page.locator("li.revision").first
    assert "curator" in latest.inner_text() and "uk.answer" in latest.inner_text()
    assert marker in latest.locator(".d-add").all_inner_texts()[0]
    with page.expect_navigation():
        latest.locator("button", has_text="Revert this change").click()
    assert page.locator("li.revision").first.inner_text().startswith("revert")
    _until(lambda: marker not in _bot_answer(stack, UK_FEES_QUESTION)[0], LIVE_SECONDS)
    restored, _ = _bot_answer(stack, UK_FEES_QUESTION)
    assert restored.split("\n\n")[0] in old_text


def test_a_polish_edit_flags_the_three_other_languages(stack, staff, page):
    web = stack.config.web_url
    staff_login(page, web, "curator")
    page.goto(f"{web}/staff/entries/card.loss")
    answer = page.locator("#f-pl-answer")
    answer.fill("Uwaga: " + answer.input_value())
    page.click("#save")
    page.wait_for_selector(".notice")
    flagged = page.locator("h2 .badge.warn")
    assert flagged.count() == 3
    assert {h.split()[0] for h in page.locator("h2:has(.badge.warn)").all_inner_texts()} == {
        "EN",
        "UK",
        "RU",
    }
    page.goto(f"{web}/staff/?needs_review=true")
    assert page.locator("a[href='/staff/entries/card.loss']").count() == 1
    # Confirming one translation clears only its flag.
    page.goto(f"{web}/staff/entries/card.loss")
    page.click("button[form=confirm-ru]")
    page.wait_for_selector(".notice")
    assert page.locator("h2 .badge.warn").count() == 2


UNANSWERED = (
    # Search says no_match for these; the NLU model might still read one as another intent
    # ("automat" once became bot_challenge), so the test takes the first the inbox shows.
    "Czy przy urzędzie na Przy Rondzie jest parking dla rowerów?",
    "Czy w urzędzie jest toaleta dla interesantów?",
)


def test_an_unanswered_question_from_the_chat_becomes_a_phrasing(stack, staff, page):
    web = stack.config.web_url
    staff_login(page, web, "curator")
    question = ""
    for candidate in UNANSWERED:
        _, found = _bot_answer(stack, candidate)
        if any("kb_id" in c for c in found):
            continue
        page.goto(f"{web}/staff/inbox")
        if page.locator("q", has_text=candidate).count():
            question = candidate
            break
    assert question, "no unanswered question reached the inbox"
    group = page.locator("section.inbox-group", has=page.locator("q", has_text=question)).first
    item = group.locator("li", has=page.locator("q", has_text=question)).first
    item.locator("select").select_option("office.location_hours")
    with page.expect_navigation():
        item.locator("button", has_text="Add as phrasing").click()
    assert page.locator("q", has_text=question).count() == 0
    _until(lambda: {"kb_id": "office.location_hours"} in _bot_answer(stack, question)[1], 90)
    page.goto(f"{web}/staff/entries/office.location_hours/history")
    assert "phrasing" in page.locator("li.revision").first.inner_text()


def test_spreadsheet_round_trip_previews_exactly_one_change(stack, staff, page, tmp_path):
    web = stack.config.web_url
    staff_login(page, web, "curator")
    new_title = f"Втрата карти побиту ({time.time_ns()})"
    preview_import(page, web, tmp_path, "card.loss/uk", new_title)
    assert page.locator("#change-count").inner_text() == "1 entry would change."
    assert page.locator(".d-field").all_inner_texts() == ["uk.title"]
    assert new_title in page.locator(".d-add").all_inner_texts()[0]
    with page.expect_navigation():
        page.click("#apply")
    page.goto(f"{web}/staff/entries/card.loss")
    assert page.locator("#f-uk-title").input_value() == new_title


def test_a_retrained_model_is_loaded_into_the_running_bot(stack, rasa_model):
    """The retrainer's last step on the real Rasa server (training itself takes minutes)."""
    settings = Settings(rasa_url=stack.config.rasa_url, RASA_AUTH_TOKEN=stack.config.rasa_token)
    rasa_loader(settings)(rasa_model)
    text, found = _bot_answer(stack, "Ile kosztuje karta pobytu?")
    assert {"kb_id": "card.fees"} in found and text
    wrong = Settings(rasa_url=stack.config.rasa_url, RASA_AUTH_TOKEN="not-the-token")
    with pytest.raises(RuntimeError, match="refused"):
        rasa_loader(wrong)(rasa_model)
