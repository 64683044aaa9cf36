"""Retraining from the console on the real stack: slow (a full `rasa train`), so on its own."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.e2e.browser import staff_login
from tests.e2e.chat import Chat, customs

pytestmark = pytest.mark.e2e

TRAIN_TIMEOUT = 30 * 60


def _model_file(stack: Any) -> str:
    status = httpx.get(
        f"{stack.config.rasa_url}/status", params={"token": stack.config.rasa_token}, timeout=30
    )
    status.raise_for_status()
    return str(status.json()["model_file"])


def test_a_curator_adds_an_intent_example_and_retrains_while_the_bot_answers(stack, staff, browser):
    web = stack.config.web_url
    before = _model_file(stack)
    page = browser.new_context().new_page()
    staff_login(page, web, "curator")
    page.goto(f"{web}/staff/dialogue")
    page.select_option("#intent", "greet")
    page.select_option("#lang", "pl")
    page.fill("#example", "uszanowanie dla całego zespołu")
    page.click("button:has-text('Add example')")
    page.wait_for_selector(".notice")
    page.click("button:has-text('Retrain now')")
    page.wait_for_selector(".notice")

    deadline = time.monotonic() + TRAIN_TIMEOUT
    answered_meanwhile = False
    while True:
        state = page.request.get(f"{web}/staff/dialogue/api/status").json()
        if state["state"] != "running":
            break
        assert time.monotonic() < deadline, "retraining did not finish"
        messages = Chat(stack.config.rasa_url).say("Ile kosztuje karta pobytu?")
        answered_meanwhile |= {"kb_id": "card.fees"} in customs(messages)
        time.sleep(10)
    assert state["state"] == "done", state
    assert answered_meanwhile
    after = _model_file(stack)
    assert after != before and "console-" in after
    assert {"kb_id": "card.fees"} in customs(
        Chat(stack.config.rasa_url).say("Ile kosztuje karta pobytu?")
    )
    page.context.close()
