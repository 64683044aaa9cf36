"""The Telegram channel on the real Rasa server, against a local fake Bot API (issue #5)."""

from __future__ import annotations

import itertools
import time

import httpx
import pytest

from bot.markup import telegram_html
from tests.e2e.chat import first_paragraph, handoff_replies, response_text
from tests.e2e.consultant import Consultant
from tests.fake_telegram import TELEGRAM_SECRET

pytestmark = pytest.mark.e2e

_ids = itertools.count(int(time.time()) % 1_000_000 * 100)
_chats = itertools.count(700_000_000 + int(time.time()) % 1_000_000)


def webhook(stack) -> str:
    return f"{stack.config.rasa_url}/webhooks/telegram/webhook"


def post(stack, update: dict, secret: str | None = TELEGRAM_SECRET) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return httpx.post(webhook(stack), json=update, headers=headers, timeout=30)


def message_update(chat_id: int, text: str | None = None, lang: str = "uk", **extra) -> dict:
    message = {
        "message_id": next(_ids) % 100000,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Olena"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Olena", "language_code": lang},
        **extra,
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            message["entities"] = [
                {"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}
            ]
    return {"update_id": next(_ids), "message": message}


def shown(domain, name: str, lang: str) -> str:
    """The first paragraph of a response as Telegram shows it (HTML)."""
    return first_paragraph(telegram_html(response_text(domain, name, lang)))


def texts_to(telegram, chat_id: int) -> str:
    return "\n\n".join(str(p["text"]) for p in telegram.sent("sendMessage", chat_id))


def wait_for_text(telegram, chat_id: int, fragment: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while fragment not in texts_to(telegram, chat_id):
        assert time.monotonic() < deadline, (fragment, texts_to(telegram, chat_id))
        time.sleep(0.1)


def test_webhook_and_command_menu_are_registered_at_start(stack, telegram):
    # Every start of the Rasa server registers again (other tests restart it).
    webhook_call = telegram.wait_for("setWebhook")[-1]
    assert webhook_call["secret_token"] == TELEGRAM_SECRET
    assert webhook_call["url"].endswith("/webhooks/telegram/webhook")
    menus = telegram.wait_for("setMyCommands", count=5)
    assert {m.get("language_code") for m in menus} == {None, "pl", "en", "uk", "ru"}
    for menu in menus:
        assert {c["command"] for c in menu["commands"]} == {
            "start",
            "language",
            "help",
            "human",
            "privacy",
            "finder",
        }


def test_start_greets_in_the_users_language_with_a_language_picker(stack, telegram, domain):
    chat = next(_chats)
    assert post(stack, message_update(chat, "/start", lang="uk")).status_code == 200
    wait_for_text(telegram, chat, shown(domain, "utter_greet", "uk"))
    wait_for_text(telegram, chat, shown(domain, "utter_choose_language", "uk"))
    keyboards = [
        p["reply_markup"] for p in telegram.sent("sendMessage", chat) if "reply_markup" in p
    ]
    datas = [b[0]["callback_data"] for k in keyboards for b in k["inline_keyboard"]]
    assert '/choose_language{"language": "uk"}' in datas
    assert telegram.sent("sendChatAction", chat)[0]["action"] == "typing"


def test_question_is_answered_and_a_button_press_is_acknowledged_and_routed(
    stack, telegram, domain
):
    chat = next(_chats)
    post(stack, message_update(chat, "скільки коштує карта побиту?"))
    wait_for_text(telegram, chat, "https://mos.cudzoziemcy.gov.pl/vn/informacje/kp/oplaty")
    assert "<b>100 злотих</b>" in texts_to(telegram, chat)
    wait_for_text(telegram, chat, shown(domain, "utter_ask_helpful", "uk"))
    question = next(p for p in telegram.sent("sendMessage", chat) if "reply_markup" in p)
    buttons = [row[0] for row in question["reply_markup"]["inline_keyboard"]]
    no = next(b for b in buttons if "no" in b["callback_data"])
    press = {
        "update_id": next(_ids),
        "callback_query": {
            "id": str(next(_ids)),
            "from": {"id": chat, "is_bot": False, "first_name": "Olena", "language_code": "uk"},
            "chat_instance": "1",
            "data": no["callback_data"],
            "message": {
                "message_id": 5,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
                "text": question["text"],
            },
        },
    }
    assert post(stack, press).status_code == 200
    telegram.wait_for("answerCallbackQuery")
    edits = telegram.wait_for("editMessageReplyMarkup", chat)
    assert edits[-1]["message_id"] == 5
    wait_for_text(telegram, chat, shown(domain, "utter_feedback_negative", "uk"))


def test_photo_gets_the_text_only_reply(stack, telegram, domain):
    chat = next(_chats)
    photo = [{"file_id": "AgAD", "file_unique_id": "u1", "width": 90, "height": 90}]
    post(stack, message_update(chat, lang="ru", photo=photo))
    wait_for_text(telegram, chat, shown(domain, "utter_text_only", "ru"))


def test_requests_without_the_secret_are_refused(stack, telegram):
    chat = next(_chats)
    assert post(stack, message_update(chat, "Cześć"), secret=None).status_code == 403
    assert post(stack, message_update(chat, "Cześć"), secret="wrong").status_code == 403
    time.sleep(2)
    assert telegram.sent("sendMessage", chat) == []


def test_a_retried_update_is_processed_once(stack, telegram, domain):
    chat = next(_chats)
    update = message_update(chat, "Cześć", lang="pl")
    assert post(stack, update).status_code == 200
    assert post(stack, update).status_code == 200
    greeting = shown(domain, "utter_greet", "pl")
    wait_for_text(telegram, chat, greeting)
    time.sleep(2)
    assert texts_to(telegram, chat).count(greeting) == 1


def test_malformed_updates_are_answered_200_and_harm_nobody(stack, telegram, domain):
    for body in ({"update_id": "x", "message": 5}, {"message": {"chat": None}}, ["list"]):
        assert post(stack, body).status_code == 200
    raw = httpx.post(
        webhook(stack),
        content=b"{not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
    )
    assert raw.status_code in (200, 400)
    chat = next(_chats)
    post(stack, message_update(chat, "Cześć", lang="pl"))
    wait_for_text(telegram, chat, shown(domain, "utter_greet", "pl"))


def test_in_groups_only_mentions_and_commands_are_answered(stack, telegram, domain):
    group = -next(_chats)
    update = message_update(group, "ile kosztuje karta pobytu?", lang="pl")
    update["message"]["chat"] = {"id": group, "type": "group", "title": "Kraków expats"}
    post(stack, update)
    time.sleep(3)
    assert telegram.sent("sendMessage", group) == []
    mention = message_update(group, "@infoopt_test_bot ile kosztuje karta pobytu?", lang="pl")
    mention["message"]["chat"] = {"id": group, "type": "group", "title": "Kraków expats"}
    post(stack, mention)
    wait_for_text(telegram, group, "https://mos.cudzoziemcy.gov.pl/vn/informacje/kp/oplaty")


def test_edited_messages_are_ignored(stack, telegram):
    chat = next(_chats)
    edited = message_update(chat, "Cześć", lang="pl")
    edited["edited_message"] = edited.pop("message")
    assert post(stack, edited).status_code == 200
    time.sleep(2)
    assert telegram.sent("sendMessage", chat) == []


def test_long_polling_feeds_the_same_webhook(stack, telegram, domain):
    import os
    import subprocess

    from bot.rasa_model import RASA_VENV
    from bot.settings import ROOT
    from tests.fake_telegram import TELEGRAM_TOKEN

    chat = next(_chats)
    telegram.pending_updates.append(message_update(chat, "Cześć", lang="pl"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": telegram.base_url,
        "FAQ_RASA_URL": stack.config.rasa_url,
    }
    subprocess.run(
        [str(RASA_VENV / "bin" / "python"), "-m", "connectors.telegram_polling", "--rounds", "1"],
        env=env,
        check=True,
        timeout=60,
    )
    assert telegram.sent("deleteWebhook")
    wait_for_text(telegram, chat, shown(domain, "utter_greet", "pl"))


def test_handoff_over_telegram(stack, telegram, staff, domain):
    consultant = Consultant(stack.config.web_url, "consultant")
    chat_id = next(_chats)
    post(stack, message_update(chat_id, "Як продовжити візу студенту?"))
    wait_for_text(telegram, chat_id, "INFO.OPT")
    post(stack, message_update(chat_id, "/human"))
    wait_for_text(telegram, chat_id, handoff_replies(domain, "uk")["queued"])
    handoff = consultant.wait_for("queue", "Як продовжити візу студенту?")
    assert handoff["channel"] == "telegram"
    assert consultant.post(f"conversations/{handoff['id']}/claim").status_code == 200
    wait_for_text(telegram, chat_id, shown(domain, "utter_handoff_claimed", "uk"))
    consultant.post(f"conversations/{handoff['id']}/messages", {"text": "Вітаю, це Марія <3"})
    # Signed as a consultant's (this one has no display name), escaped for Telegram's HTML.
    wait_for_text(telegram, chat_id, "<b>Консультант INFO.OPT:</b>\nВітаю, це Марія &lt;3")
    post(stack, message_update(chat_id, "Дякую! Моя віза закінчується за тиждень"))
    consultant.wait_for_line(handoff["id"], "user", "закінчується за тиждень")
    consultant.post(f"conversations/{handoff['id']}/handback", {"resolved": False})
    wait_for_text(telegram, chat_id, shown(domain, "utter_handoff_returned", "uk"))
    post(stack, message_update(chat_id, "скільки коштує карта побиту?"))
    wait_for_text(telegram, chat_id, shown(domain, "utter_ask_helpful", "uk"))
