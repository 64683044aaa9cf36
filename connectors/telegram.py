"""The Telegram channel, on python-telegram-bot, in webhook mode.

Configured in credentials.yml from the environment (an empty token disables the channel):
`TELEGRAM_BOT_TOKEN`, `TELEGRAM_WEBHOOK_URL` (public URL of
`/webhooks/telegram/webhook`), `TELEGRAM_SECRET_TOKEN` (checked on every request) and
`TELEGRAM_API_BASE_URL` (Telegram's by default; tests point it at a local fake).

Behaviour, for users:
- text goes to Rasa; commands map to intents (/start, /language, /help, /human, /privacy, /finder);
- buttons are inline keyboards; a press is acknowledged, routed as the button's payload, and
  the keyboard is removed so it cannot be pressed twice;
- photos, voice, stickers, documents, locations and contacts get a "text only" reply in the
  user's language and nothing of them is kept;
- edited messages and channel posts are ignored (an edit is not a new question);
- in groups, only commands and messages mentioning the bot are answered.
Every update is answered 200 once it passed the secret check, even if it is malformed, so that
Telegram does not retry it forever; a retried update (same update_id) is processed once.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.inbound import channel_id, inbound_message, sender_id
from bot.log_redaction import hide_in_logs
from bot.logs import CONVERSATION_ID, conversation_id
from connectors import rasa_runtime
from connectors.telegram_format import html_parts

rasa_runtime.install()  # Rasa imports this channel at start-up: see connectors/rasa_runtime.py
log = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://api.telegram.org"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMANDS_FILE = Path(__file__).with_name("telegram_commands.yml")
COMMAND_PAYLOADS = {
    "start": "/start",
    "language": "/choose_language",
    "help": "/help",
    "human": "/human_handoff",
    "privacy": "/privacy",
    "finder": "/start_finder",
}
NON_TEXT_PAYLOAD = "/non_text"
MAX_CALLBACK_BYTES = 64
"""Telegram's limit on a button's callback data; longer payloads are stored and referenced."""


class RecentIds:
    """A bounded memory of processed update ids, for Telegram's retries."""

    def __init__(self, size: int = 10_000):
        self._ids: OrderedDict[int, None] = OrderedDict()
        self._size = size

    def seen(self, update_id: int) -> bool:
        """Whether `update_id` was seen before; remembers it either way."""
        if update_id in self._ids:
            return True
        self._ids[update_id] = None
        if len(self._ids) > self._size:
            self._ids.popitem(last=False)
        return False


class Payloads:
    """Button payloads too long for callback data, by a short key."""

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}

    def pack(self, payload: str) -> str:
        if len(payload.encode()) <= MAX_CALLBACK_BYTES:
            return payload
        key = "#" + hashlib.sha256(payload.encode()).hexdigest()[:20]
        self._by_key[key] = payload
        return key

    def unpack(self, data: str) -> str | None:
        return self._by_key.get(data) if data.startswith("#") else data


class TelegramOutput(OutputChannel):
    """Sends the assistant's messages to one chat."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    def __init__(self, bot: Bot, payloads: Payloads):
        self.bot = bot
        self.payloads = payloads

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        for chunk in html_parts(text):
            await self.bot.send_message(channel_id(recipient_id), chunk, parse_mode=ParseMode.HTML)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(b["title"], callback_data=self.payloads.pack(b["payload"]))]
                for b in buttons
            ]
        )
        chat = channel_id(recipient_id)
        *first, last = html_parts(text) or [""]
        for chunk in first:
            await self.bot.send_message(chat, chunk, parse_mode=ParseMode.HTML)
        await self.bot.send_message(chat, last, parse_mode=ParseMode.HTML, reply_markup=keyboard)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        """Machine-readable payloads (entry ids, handoff states) are not shown on Telegram."""

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.bot.send_photo(channel_id(recipient_id), image)


class TelegramInput(InputChannel):
    """Receives Telegram updates on a webhook that checks the secret token."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            token=str(credentials.get("token") or ""),
            webhook_url=str(credentials.get("webhook_url") or ""),
            secret_token=str(credentials.get("secret_token") or ""),
            api_base_url=str(credentials.get("api_base_url") or DEFAULT_API_BASE_URL),
        )

    def __init__(self, token: str, webhook_url: str, secret_token: str, api_base_url: str):
        self.token = token
        self.webhook_url = webhook_url
        self.secret_token = secret_token
        self.api_base_url = api_base_url.rstrip("/")
        # The Bot API puts the token in every URL, and HTTP clients log their URLs.
        hide_in_logs(token)
        hide_in_logs(secret_token)
        self.payloads = Payloads()
        self.recent = RecentIds()
        self._bot: Bot | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    @property
    def enabled(self) -> bool:
        return bool(self.token and self.secret_token)

    @property
    def bot(self) -> Bot:
        # Created lazily: no network and no event loop work in the constructor.
        if self._bot is None:
            self._bot = Bot(
                self.token,
                base_url=f"{self.api_base_url}/bot",
                base_file_url=f"{self.api_base_url}/file/bot",
            )
        return self._bot

    def get_output_channel(self) -> OutputChannel | None:
        return TelegramOutput(self.bot, self.payloads) if self.enabled else None

    async def register(self, attempts: int = 6) -> None:
        """Set the webhook and the command menu, retrying on rate limits and network errors.

        Failing here is logged, never fatal: the Rasa server keeps serving its other channels.
        """
        delay = 1.0
        for attempt in range(1, attempts + 1):
            try:
                await self.bot.initialize()
                await self.bot.set_webhook(
                    self.webhook_url,
                    secret_token=self.secret_token,
                    allowed_updates=["message", "callback_query"],
                )
                await self._set_commands()
                log.info("Telegram webhook registered at %s", self.webhook_url)
                return
            except RetryAfter as exc:
                retry_after = exc.retry_after
                wait = (
                    retry_after.total_seconds()
                    if hasattr(retry_after, "total_seconds")
                    else float(retry_after)
                )
                log.warning("Telegram rate limit; retrying in %.0fs", wait)
                await asyncio.sleep(wait)
            except (NetworkError, TelegramError):
                log.exception("Telegram registration failed (attempt %d/%d)", attempt, attempts)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 60)
        log.error("Telegram webhook not registered; the Telegram channel will not receive updates")

    async def _set_commands(self) -> None:
        menus: dict[str, dict[str, str]] = yaml.safe_load(COMMANDS_FILE.read_text("utf-8"))
        for index, (lang, descriptions) in enumerate(menus.items()):
            commands = [BotCommand(name, text) for name, text in descriptions.items()]
            await self.bot.set_my_commands(commands, language_code=lang)
            if index == 0:
                await self.bot.set_my_commands(commands)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(app: Any, loop: Any) -> None:
            if self.enabled and self.webhook_url:
                self._spawn(self.register())

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "disabled"})

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.json({"error": "Telegram channel not configured"}, status=404)
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), self.secret_token.encode()):
                return response.json({"error": "forbidden"}, status=403)
            try:
                update = Update.de_json(request.json, self.bot)
            except Exception:
                log.exception("malformed Telegram update dropped")
                return response.json({"status": "ignored"})
            if update is None or self.recent.seen(update.update_id):
                return response.json({"status": "ignored"})
            self._spawn(self._handle(update, on_new_message))
            return response.json({"status": "ok"})

        return telegram_webhook

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(
        self, update: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        """Route one update; a failure is logged with its traceback and affects no other chat."""
        try:
            if update.callback_query is not None:
                await self._handle_button(update, on_new_message)
            elif update.message is not None:
                await self._handle_message(update.message, on_new_message)
        except Exception:
            log.exception("Telegram update %s failed", update.update_id)

    async def _handle_button(
        self, update: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        message = query.message
        if isinstance(message, Message):
            await message.edit_reply_markup(reply_markup=None)
        payload = self.payloads.unpack(query.data or "")
        if payload and message is not None:
            await self._to_rasa(
                payload, message.chat.id, query.from_user.language_code, on_new_message
            )

    async def _handle_message(
        self, message: Message, on_new_message: Callable[[UserMessage], Awaitable[Any]]
    ) -> None:
        private = message.chat.type == "private"
        language = message.from_user.language_code if message.from_user else None
        text = message.text
        if text is None:
            if private and _is_non_text(message):
                await self._to_rasa(NON_TEXT_PAYLOAD, message.chat.id, language, on_new_message)
            return
        username = _username(self.bot)
        command = _command(message, username)
        if command is not None:
            payload = COMMAND_PAYLOADS.get(command)
            if payload:
                await self._to_rasa(payload, message.chat.id, language, on_new_message)
            return
        if not private and not _mentions(message, username):
            return
        await self._to_rasa(text, message.chat.id, language, on_new_message)

    async def _to_rasa(
        self,
        text: str,
        chat_id: int,
        language: str | None,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
    ) -> None:
        # Each update is handled in its own task: Rasa's lines for it carry the (hashed) chat.
        CONVERSATION_ID.set(conversation_id(sender_id(self.name(), chat_id)))
        await self.bot.send_chat_action(chat_id, ChatAction.TYPING)
        text, metadata = inbound_message(text, {"language": language} if language else {})
        await on_new_message(
            UserMessage(
                text,
                TelegramOutput(self.bot, self.payloads),
                sender_id(self.name(), chat_id),
                input_channel=self.name(),
                metadata=metadata,
            )
        )


NON_TEXT_KINDS = (
    "photo", "voice", "sticker", "document", "location", "contact", "audio", "video",
    "video_note", "animation",
)  # fmt: skip


def _is_non_text(message: Message) -> bool:
    return any(getattr(message, kind, None) for kind in NON_TEXT_KINDS)


def _username(bot: Bot) -> str | None:
    try:
        return bot.username
    except RuntimeError:  # not initialised: Telegram was unreachable at start-up
        return None


def _command(message: Message, username: str | None) -> str | None:
    """The command of a "/name" or "/name@bot" message addressed to this bot."""
    text = message.text or ""
    if not text.startswith("/"):
        return None
    head = text.split()[0][1:]
    name, _, target = head.partition("@")
    if target and username and target.lower() != username.lower():
        return None
    return name.lower()


def _mentions(message: Message, username: str | None) -> bool:
    if not username:
        return False
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.username == username:
        return True
    return f"@{username.lower()}" in (message.text or "").lower()
