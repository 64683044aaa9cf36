"""A consultant using the console's JSON API over real HTTP (as the console's script does)."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from tests.e2e.browser import STAFF_PASSWORD


class Consultant:
    """Logs in through the login form and keeps the session cookie and CSRF token."""

    def __init__(self, web_url: str, username: str, online: bool = True):
        self.http = httpx.Client(base_url=web_url, timeout=30)
        form = self.http.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token, "login form without CSRF token"
        response = self.http.post(
            "/login",
            data={"username": username, "password": STAFF_PASSWORD, "csrf_token": token[1]},
        )
        page = self.http.get("/consultant/")
        assert page.status_code == 200, (response.status_code, page.status_code)
        csrf = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
        assert csrf
        self.csrf = csrf[1]
        # Ticking "available" in the console (or clearing it: away for new chats).
        self.post("presence", {"available": online}).raise_for_status()

    def state(self, conversation: int | None = None) -> dict[str, Any]:
        params = {"conversation": str(conversation)} if conversation else {}
        response = self.http.get("/consultant/api/state", params=params)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def post(self, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        return self.http.post(
            f"/consultant/api/{path}", json=body or {}, headers={"X-CSRF-Token": self.csrf}
        )

    def wait_for(self, where: str, question: str, timeout: float = 30) -> dict[str, Any]:
        """The newest handoff in list `where` (queue, mine, tickets) whose question matches."""
        deadline = time.monotonic() + timeout
        while True:
            found = [h for h in self.state()[where] if question in (h["question"] or "")]
            if found:
                return found[-1]
            assert time.monotonic() < deadline, f"no '{question}' in {where}"
            time.sleep(0.3)

    def wait_for_line(self, handoff_id: int, author: str, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            lines = self.state(handoff_id)["conversation"]["lines"]
            if any(x["author"] == author and text in x["text"] for x in lines):
                return
            assert time.monotonic() < deadline, (author, text, lines)
            time.sleep(0.3)
