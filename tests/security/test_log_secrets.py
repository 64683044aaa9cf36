"""No secret in any log: the Telegram Bot API puts the bot token in every URL it is called at,
and HTTP clients log their URLs."""

from __future__ import annotations

import itertools
import logging
import time

import pytest

from bot.log_redaction import MASK, hide_in_logs
from tests.fake_telegram import TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.security.test_conversation_takeover import telegram_message

_chats = itertools.count(7_600_001)


def test_a_registered_secret_is_masked_in_messages_arguments_and_tracebacks(caplog):
    secret = "12345:very-secret-token"
    hide_in_logs(secret)
    log = logging.getLogger("httpx")
    with caplog.at_level(logging.INFO):
        log.info("HTTP Request: POST %s", f"https://api.telegram.org/bot{secret}/sendMessage")
        try:
            raise RuntimeError(f"failed at /bot{secret}/getMe")
        except RuntimeError:
            logging.getLogger("telegram.ext").exception("boom")
    assert secret not in caplog.text and MASK in caplog.text


@pytest.mark.e2e
def test_no_secret_reaches_the_stacks_logs(sqlite_stack, telegram):
    chat_id = next(_chats)
    telegram_message(sqlite_stack, chat_id, "Ile kosztuje karta pobytu?")
    deadline = time.monotonic() + 60
    while not telegram.sent("sendMessage", chat_id):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    config = sqlite_stack.config
    secrets = {
        "Telegram bot token": TELEGRAM_TOKEN,
        "Telegram secret token": TELEGRAM_SECRET,
        "Rasa token": config.rasa_token,
        "internal token": config.internal_token,
        "web chat session secret": config.session_secret,
    }
    for log in (config.var_dir / "log").glob("*.log"):
        text = log.read_text("utf-8", "replace")
        for name, value in secrets.items():
            assert value not in text, f"{name} in {log.name}"
