"""Per-request context for logs and metrics: request and conversation ids, latency, errors.

The action server sends `X-Request-ID` and `X-Conversation-ID` (bot/logs.py); they are put in
the log context of everything the request does and echoed in the response. Requests without
one get a fresh request id.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import metrics
from bot.logs import CONVERSATION_ID, CONVERSATION_ID_HEADER, REQUEST_ID, REQUEST_ID_HEADER

log = logging.getLogger(__name__)
QUIET_ROUTES = ("/health", "/metrics")
_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
"""What a caller's id may look like; anything else is replaced, so a header cannot forge logs."""


def _header(scope: Scope, name: str) -> str:
    wanted = name.lower().encode()
    for key, value in scope.get("headers", []):
        if key == wanted:
            text = value.decode("latin-1")
            return text if _ID.match(text) else ""
    return ""


class RequestContextMiddleware:
    """Sets the log context, times the request and counts failures (pure ASGI, no buffering)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _header(scope, REQUEST_ID_HEADER) or uuid.uuid4().hex[:16]
        request_token = REQUEST_ID.set(request_id)
        conversation_token = CONVERSATION_ID.set(_header(scope, CONVERSATION_ID_HEADER))
        status = 500
        failed = False
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER.lower().encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            failed = True
            metrics.ERRORS.labels(where="request").inc()
            raise
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            # The route template, not the path: ids in paths would make endless label values.
            template = getattr(route, "path", None) or "unmatched"
            metrics.HTTP_SECONDS.labels(
                route=template, method=scope["method"], status=str(status)
            ).observe(elapsed)
            if status >= 500 and not failed:
                metrics.ERRORS.labels(where="response_5xx").inc()
            # Probes and scrapes come every few seconds: worth a line only when debugging.
            level = logging.DEBUG if template.startswith(QUIET_ROUTES) else logging.INFO
            log.log(level, "%s %s %d %.1fms", scope["method"], template, status, elapsed * 1000)
            REQUEST_ID.reset(request_token)
            CONVERSATION_ID.reset(conversation_token)
