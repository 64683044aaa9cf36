"""A local stand-in for the Telegram Bot API: records every call and answers like Telegram.

Shared by the channel tests (in .venv-rasa), the end-to-end and the security tests: standard
library only.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TELEGRAM_TOKEN = "4242:TEST-TOKEN"
TELEGRAM_SECRET = "test-secret-token"
BOT = {"id": 4242, "is_bot": True, "first_name": "INFO.OPT", "username": "infoopt_test_bot"}


class FakeTelegram:
    """`base_url` goes into TELEGRAM_API_BASE_URL; `calls` lists (method, params)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.pending_updates: list[dict[str, Any]] = []
        """Handed out (once) by the next getUpdates call."""
        self._lock = threading.Lock()
        self._message_id = 1000
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                method = self.path.rsplit("/", 1)[-1]
                params = fake._params(body, self.headers.get("Content-Type", ""))
                result = fake._record(method, params)
                data = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeTelegram:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @staticmethod
    def _params(body: str, content_type: str) -> dict[str, Any]:
        if "json" in content_type:
            return json.loads(body or "{}")
        params: dict[str, Any] = {}
        for key, value in parse_qsl(body, keep_blank_values=True):
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
        return params

    def _record(self, method: str, params: dict[str, Any]) -> Any:
        with self._lock:
            self.calls.append((method, params))
            if method == "getMe":
                return BOT
            if method in ("sendMessage", "editMessageReplyMarkup", "sendPhoto"):
                self._message_id += 1
                return {
                    "message_id": self._message_id,
                    "date": int(time.time()),
                    "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                    "text": str(params.get("text", "")),
                    "from": BOT,
                }
            if method == "getUpdates":
                updates, self.pending_updates = self.pending_updates, []
                return updates
            return True

    def sent(self, method: str, chat_id: int | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                p
                for m, p in self.calls
                if m == method and (chat_id is None or int(p.get("chat_id", 0)) == chat_id)
            ]

    def wait_for(
        self, method: str, chat_id: int | None = None, count: int = 1, timeout: float = 30
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.sent(method, chat_id)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{method} to {chat_id}: {len(self.sent(method, chat_id))} calls")
