"""Raw clients for attacks: REST bodies of any shape, socket.io events of any shape."""

from __future__ import annotations

import json
import queue
import time
from typing import Any

import httpx
import socketio

from tools.devstack import Stack


def rest(
    stack: Stack, body: Any, token: str | None = None, raw: bytes | None = None
) -> httpx.Response:
    """POST `body` (as JSON, escapes kept: lone surrogates survive) or `raw` to the REST channel."""
    content = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}".encode()
    return httpx.post(
        f"{stack.config.rasa_url}/webhooks/rest/webhook",
        content=content,
        headers=headers,
        timeout=60,
    )


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n\n".join(str(m.get("text") or "") for m in messages)


class SocketClient:
    """A web chat client that may send whatever it likes."""

    def __init__(self, stack: Stack, session_id: Any = None):
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        self.confirmed: queue.Queue[str] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("bot_uttered", self.inbox.put)
        self.sio.on("session_confirm", self.confirmed.put)
        self.sio.connect(
            stack.config.rasa_url, transports=["websocket"], socketio_path="/socket.io"
        )
        self.sio.emit("session_request", {"session_id": session_id})
        self.session_id = self.confirmed.get(timeout=30)

    def emit(self, data: Any) -> None:
        self.sio.emit("user_uttered", data)

    def say(self, text: Any, session_id: Any = "mine", metadata: Any = None) -> None:
        sid = self.session_id if session_id == "mine" else session_id
        self.emit({"message": text, "session_id": sid, "metadata": metadata or {}})

    def replies(self, until: str, timeout: float = 60) -> list[dict[str, Any]]:
        """Messages up to and including the first whose JSON contains `until`."""
        out: list[dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while True:
            message = self.inbox.get(timeout=max(0.1, deadline - time.monotonic()))
            out.append(message)
            if until in json.dumps(message, ensure_ascii=False):
                return out

    def close(self) -> None:
        self.sio.disconnect()
