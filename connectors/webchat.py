"""The web chat's channel: socket.io, with sessions that survive reloads and reconnects.

Rasa 3.6's own socket.io channel cannot send custom payloads (it passes them to `emit` as
keyword arguments) and, with current python-socketio, never joins the session's room, so a
reconnected browser would miss its replies. This channel fixes both and keeps the wire format
the widget expects:

- client → server `session_request` `{"session_id": ...}`; server → client `session_confirm`;
- client → server `user_uttered` `{"message": ..., "session_id": ..., "metadata": {...}}`;
- server → client `bot_uttered` `{"text": ..., "quick_replies": [{"title", "payload"}]}`, or
  `{"custom": {...}}` for machine-readable payloads, which the widget does not display.

Replies go to the session's room, so every tab and every reconnection of a session gets them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from bot.logs import CONVERSATION_ID, conversation_id

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 4000
"""Longer input is cut before Rasa sees it; the assistant refuses anything over 1,000."""


class WebChatOutput(OutputChannel):
    """Sends the bot's messages to a session's room."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    def __init__(self, sio: AsyncServer, event: str):
        self.sio = sio
        self.event = event

    async def _emit(self, session_id: str, payload: dict[str, Any]) -> None:
        await self.sio.emit(self.event, payload, room=session_id)

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        replies = [{"title": b["title"], "payload": b["payload"]} for b in buttons]
        await self._emit(recipient_id, {"text": text, "quick_replies": replies})

    async def send_quick_replies(
        self,
        recipient_id: str,
        text: str,
        quick_replies: list[dict[str, Any]],
        **kwargs: Any,
    ) -> None:
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._emit(recipient_id, {"attachment": {"type": "image", "url": image}})

    async def send_custom_json(
        self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any
    ) -> None:
        await self._emit(recipient_id, {"custom": json_message})


class WebChatInput(InputChannel):
    """socket.io input for the web chat widget."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(socketio_path=credentials.get("socketio_path", "/socket.io"))

    def __init__(self, socketio_path: str = "/socket.io"):
        self.socketio_path = socketio_path
        self.sio: AsyncServer | None = None

    def get_output_channel(self) -> OutputChannel | None:
        return WebChatOutput(self.sio, "bot_uttered") if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        # CORS is left to Rasa's --cors option: the widget's page is on another origin.
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=[])
        self.sio = sio
        blueprint = SocketBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not 8 <= len(session_id) <= 64:
                session_id = uuid.uuid4().hex
            await sio.enter_room(sid, session_id)
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on("user_uttered")
        async def user_uttered(sid: str, data: Any) -> None:
            if not isinstance(data, dict):
                return
            session_id = data.get("session_id")
            message = data.get("message")
            if not isinstance(session_id, str) or not isinstance(message, str):
                log.warning("web chat message without session or text ignored")
                return
            # A reconnected socket may not have re-requested its session yet.
            await sio.enter_room(sid, session_id)
            metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
            # Each socket.io event runs in its own task: Rasa's lines for it carry the id.
            CONVERSATION_ID.set(conversation_id(session_id))
            await on_new_message(
                UserMessage(
                    message[:MAX_MESSAGE_CHARS],
                    WebChatOutput(sio, "bot_uttered"),
                    session_id,
                    input_channel=self.name(),
                    metadata=metadata,
                )
            )

        return blueprint
