"""The web chat's channel: socket.io, with sessions that survive reloads and reconnects.

Rasa 3.6's own socket.io channel cannot send custom payloads (it passes them to `emit` as
keyword arguments) and, with current python-socketio, never joins the session's room, so a
reconnected browser would miss its replies. This channel fixes both and keeps the wire format
the widget expects:

- client → server `session_request` `{"session_id": ...}`; server → client `session_confirm`
  with the session id to use from then on;
- client → server `user_uttered` `{"message": ..., "session_id": ..., "metadata": {...},
  "display": ..., "id": ...}` (`display`: what a button showed, when `message` is its payload;
  `id`: the tab's id for the message);
- server → client `bot_uttered` `{"id", "text", "lang", "quick_replies": [{"title",
  "payload"}], "consultant"}` (`consultant`: the display name, on a consultant's message), or
  `{"id", "custom": {...}}` for machine-readable payloads, which the widget does not display;
- server → client `user_uttered` `{"id", "text"}`: a message the user sent from another tab.

Replies go to the session's room, so every tab and every reconnection of a session gets them;
a user's message goes to the session's other sockets, so that every tab shows the question
with its answer. `id` is the same in every tab: a tab that already has a message (its history
is shared with the others through the browser's storage) skips it.

Session ids are issued here and signed (`WEBCHAT_SESSION_SECRET`, shared by every Rasa server
of an installation; random per process when unset): a client cannot choose another user's
conversation. A session id the server did not sign — someone else's chat id, a made-up or
malformed one — is replaced by a fresh one in `session_confirm`, which the widget adopts; a
message with such an id starts its own conversation. The conversation's sender id is
`webchat:<id>` (see `bot.inbound`).

With `REDIS_URL` set (several Rasa servers), rooms span the servers through Redis: a reply or
a consultant's message sent by any server reaches the session's socket on whichever server
holds it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncRedisManager, AsyncServer

from bot.inbound import (
    MAX_MESSAGE_CHARS,
    clean_text,
    client_metadata,
    inbound_message,
    sender_id,
)
from bot.logs import CONVERSATION_ID, conversation_id
from connectors import rasa_runtime

rasa_runtime.install()  # Rasa imports this channel at start-up: see connectors/rasa_runtime.py
log = logging.getLogger(__name__)

SECRET_VARIABLE = "WEBCHAT_SESSION_SECRET"


class SessionIds:
    """Issues session ids `<random>.<signature>` and recognises the ones it issued."""

    def __init__(self, secret: str):
        self._key = secret.encode("utf-8", "replace")

    def _sign(self, nonce: str) -> str:
        return hmac.new(self._key, nonce.encode("ascii"), hashlib.sha256).hexdigest()[:32]

    def issue(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._sign(nonce)}"

    def valid(self, session_id: object) -> bool:
        if not isinstance(session_id, str) or len(session_id) != 65:
            return False
        nonce, _, signature = session_id.partition(".")
        if not nonce.isascii() or not signature.isascii():
            return False
        return hmac.compare_digest(signature, self._sign(nonce))

    def room(self, session_id: str) -> str:
        """The session's conversation (and socket.io room): `webchat:<random part>`."""
        return sender_id(WebChatInput.name(), session_id.partition(".")[0])


DOMAIN_DEFAULT_LANGUAGE = "pl"
"""The language of domain.yml's unconditioned response variations."""
SHOWN_METADATA = ("consultant",)
"""Keys of a message's metadata that the widget shows (besides its language)."""


def message_language(message: dict[str, Any]) -> str | None:
    """The language of a message Rasa hands the channel, when it tells.

    Actions and the handoff pump name it (`lang`); a response Rasa rendered from domain.yml
    (`utter_action`) carries the condition on the `language` slot of the variation it picked,
    and the variation without a condition is the default language's.
    """
    lang = message.get("lang")
    if isinstance(lang, str) and lang:
        return lang
    for condition in message.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == "language":
            return str(condition.get("value"))
    return DOMAIN_DEFAULT_LANGUAGE if message.get("utter_action") else None


def described(payload: dict[str, Any], message: dict[str, Any]) -> dict[str, Any]:
    """`payload` with the message's language and the metadata the widget shows."""
    lang = message_language(message)
    # An empty name still marks a consultant's message (one without a display name).
    extra = {key: message[key] for key in SHOWN_METADATA if isinstance(message.get(key), str)}
    return {**payload, **({"lang": lang} if lang else {}), **extra}


def message_id(value: object) -> str:
    """The id the sending tab gave its message (the same entry in every tab), or a new one."""
    if isinstance(value, str) and 0 < len(value) <= 32 and value.isascii() and value.isalnum():
        return value
    return secrets.token_hex(8)


def shown_text(data: dict[str, Any]) -> str | None:
    """What the session's other tabs show of a message a user sent: the typed text, or the
    title of the button pressed; nothing for a bare payload (a language switch)."""
    raw = data.get("display") or data.get("message")
    if not isinstance(raw, str):
        return None
    text = clean_text(raw)[:MAX_MESSAGE_CHARS]
    return text if text and not text.startswith("/") else None


class WebChatOutput(OutputChannel):
    """Sends the bot's messages to a session's room."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def __init__(self, sio: AsyncServer, event: str):
        self.sio = sio
        self.event = event

    async def _emit(self, session_id: str, payload: dict[str, Any]) -> None:
        await self.sio.emit(self.event, {"id": secrets.token_hex(8), **payload}, room=session_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, described({"text": text}, kwargs))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._emit(recipient_id, described({"text": text, "quick_replies": replies}, kwargs))

    async def send_quick_replies(
        self,
        recipient_id: str,
        text: str,
        quick_replies: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies, **kwargs)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, {"attachment": {"type": "image", "url": image}})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._emit(recipient_id, {"custom": json_message})


class TurnOutput(WebChatOutput):
    """Holds a turn's replies until Rasa has stored the turn, then sends them.

    Rasa sends a reply as soon as an action produces it and saves the conversation at the end
    of the turn; a server that died in between would have shown the user an answer to a
    message its conversation never recorded. Held back, a reply shown is a turn stored (as on
    the REST channel), and a user who got nothing can safely send the message again.
    """

    def __init__(self, sio: AsyncServer, event: str):
        super().__init__(sio, event)
        self._held: list[tuple[str, dict[str, Any]]] = []

    async def _emit(self, session_id: str, payload: dict[str, Any]) -> None:
        self._held.append((session_id, payload))

    async def flush(self) -> None:
        held, self._held = self._held, []
        for session_id, payload in held:
            await super()._emit(session_id, payload)


class WebChatInput(InputChannel):
    """socket.io input for the web chat widget."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            session_secret=os.environ.get(SECRET_VARIABLE, ""),
        )

    def __init__(self, socketio_path: str = "/socket.io", session_secret: str = ""):
        self.socketio_path = socketio_path
        if not session_secret:
            log.warning("%s is not set: web chat sessions end with this process", SECRET_VARIABLE)
        self.sessions = SessionIds(session_secret or secrets.token_hex(32))
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        return WebChatOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS is left to Rasa's --cors option: the widget's page is on another origin.
        redis_url = os.environ.get("REDIS_URL", "")
        rooms = (
            AsyncRedisManager(redis_url, channel=f"{os.environ.get('REDIS_PREFIX', 'faq')}:webchat")
            if redis_url
            else None
        )
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[], client_manager=rooms)
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def confirm(sid: str, requested: object) -> str:
            """Join the session `requested` if this server issued it, else a fresh one."""
            session_id = requested if self.sessions.valid(requested) else self.sessions.issue()
            assert isinstance(session_id, str)
            await sio.enter_room(sid, self.sessions.room(session_id))
            if session_id != requested:
                await sio.emit("session_confirm", session_id, room=sid)
            return session_id

        @sio.on("session_request")
        async def session_request(sid: str, data: Any = None) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = await confirm(sid, requested)
            if session_id == requested:
                await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                data = {}
            # A reconnected socket may not have re-requested its session yet; a forged or
            # missing id gets a conversation of its own.
            session_id = await confirm(sid, data.get("session_id"))
            shown = shown_text(data)
            if shown is not None:
                echo = {"id": message_id(data.get("id")), "text": shown}
                await sio.emit(
                    "user_uttered", echo, room=self.sessions.room(session_id), skip_sid=sid
                )
            text, metadata = inbound_message(
                data.get("message"), client_metadata(data.get("metadata"))
            )
            # Each socket.io event runs in its own task: Rasa's lines for it carry the id.
            CONVERSATION_ID.set(conversation_id(self.sessions.room(session_id)))
            output = TurnOutput(sio, "bot_uttered")
            await on_new_message(
                UserMessage(
                    text,
                    output,
                    self.sessions.room(session_id),
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )
            await output.flush()

        return blueprint
