"""TelegramOutput with the real python-telegram-bot client against the fake Bot API.

Runs in .venv-rasa (make rasa-env-test), where Rasa and python-telegram-bot are installed.
"""

from __future__ import annotations

import asyncio

import pytest

from connectors.telegram import Payloads, RecentIds, TelegramInput, TelegramOutput
from tests.fake_telegram import TELEGRAM_TOKEN, FakeTelegram


@pytest.fixture
def telegram():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


def _output(telegram: FakeTelegram) -> TelegramOutput:
    channel = TelegramInput(TELEGRAM_TOKEN, "", "secret", telegram.base_url)
    return TelegramOutput(channel.bot, channel.payloads)


def test_a_6000_character_answer_goes_out_as_two_messages(telegram):
    text = "\n\n".join(["**Opłata** za kartę pobytu wynosi 100 zł. " * 10] * 14)
    assert 5500 < len(text) < 6500
    asyncio.run(_output(telegram).send_text_message("77", text))
    sent = telegram.sent("sendMessage", 77)
    assert len(sent) == 2
    assert all(len(m["text"]) <= 4096 and m["parse_mode"] == "HTML" for m in sent)
    assert sent[0]["text"].startswith("<b>Opłata</b>")


def test_buttons_become_an_inline_keyboard_and_long_payloads_are_packed(telegram):
    output = _output(telegram)
    long_payload = '/choose_entry{"kb_entry": "' + "x" * 80 + '"}'
    buttons = [{"title": "Tak", "payload": "/affirm"}, {"title": "Długi", "payload": long_payload}]
    asyncio.run(output.send_text_with_buttons("77", "Czy to pomogło?", buttons))
    [message] = telegram.sent("sendMessage", 77)
    rows = message["reply_markup"]["inline_keyboard"]
    assert rows[0][0] == {"text": "Tak", "callback_data": "/affirm"}
    packed = rows[1][0]["callback_data"]
    assert len(packed.encode()) <= 64
    assert output.payloads.unpack(packed) == long_payload


def test_custom_payloads_are_not_shown(telegram):
    asyncio.run(_output(telegram).send_custom_json("77", {"kb_id": "card.fees"}))
    assert telegram.calls == []


def test_recent_ids_forget_the_oldest():
    recent = RecentIds(size=2)
    assert [recent.seen(i) for i in (1, 2, 1, 3, 1)] == [False, False, True, False, False]


def test_payloads_short_enough_pass_through():
    assert Payloads().pack("/deny") == "/deny"
