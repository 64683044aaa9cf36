"""The REST channel (`POST /webhooks/rest/webhook`), for tests and evaluation, made robust.

The wire format is Rasa's own: `{"sender": ..., "message": ..., "metadata": {...}}` in, the
list of collected bot messages (with their `custom` payloads) out. Unlike Rasa's built-in
channel, a body that is not such an object or an empty or invalid sender is answered 400 with
a short reason, and the text, the sender id and the metadata
go through `bot.inbound` before Rasa sees them (a message that is not a string is answered
like a question the assistant has no answer for).

Access: with `REST_CHANNEL_TOKEN` set, every request must carry it
(`Authorization: Bearer <token>`); without it the channel is open, which is what `make run`
on its loopback ports wants. Production either sets the token or drops the channel from
credentials.yml.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.inbound import (
    InvalidInput,
    client_metadata,
    inbound_message,
    input_channel,
    sender_id,
)
from connectors import rasa_runtime

rasa_runtime.install()  # Rasa imports this channel at start-up: see connectors/rasa_runtime.py

log = logging.getLogger(__name__)

TOKEN_VARIABLE = "REST_CHANNEL_TOKEN"


def _bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


def parse_body(body: bytes) -> tuple[str, str, str, dict[str, Any]]:
    """The sender id, text, input channel and metadata of a request body.

    Raises:
        InvalidInput: with the reason the body cannot be used.
    """
    try:
        data = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        raise InvalidInput("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object with sender and message")
    sender = sender_id(RestInput.name(), data.get("sender"))
    channel = input_channel(data.get("input_channel"), RestInput.name())
    text, metadata = inbound_message(data.get("message"), client_metadata(data.get("metadata")))
    return sender, text, channel, metadata


class RestInput(InputChannel):
    """Rasa's REST wire format behind `bot.inbound`'s rule, optionally token-guarded."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(token=os.environ.get(TOKEN_VARIABLE, ""))

    def __init__(self, token: str = ""):
        self.token = token

    def authorised(self, request: Request) -> bool:
        if not self.token:
            return True
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        return hmac.compare_digest(
            given.encode("utf-8", "replace"), self.token.encode("utf-8", "replace")
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("rest_webhook", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "forbidden"}, status=403)
            try:
                sender, text, channel, metadata = parse_body(request.body or b"")
            except InvalidInput as exc:
                return _bad_request(str(exc))
            collector = CollectingOutputChannel()
            try:
                await on_new_message(
                    UserMessage(text, collector, sender, input_channel=channel, metadata=metadata)
                )
            except CancelledError:
                log.error("REST message timed out")
            except Exception:
                log.exception("REST message failed")
            return response.json(collector.messages)

        return rest
