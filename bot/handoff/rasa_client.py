"""The web app's client of the Rasa server's HTTP API (enabled with `--enable-api`).

The web app speaks to users only through Rasa: it appends bot messages to a conversation
with `execute_side_effects`, so Rasa sends them over the channel the user last wrote from
(web chat, Telegram) and keeps them in the tracker.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class RasaError(Exception):
    """The Rasa server could not be reached or refused the request."""


class RasaClient:
    """Async client; cheap to construct, connects on first use."""

    def __init__(self, base_url: str, token: str, timeout: float = 10.0):
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(base_url=self._base_url, timeout=self._timeout)
        return self._client

    def _params(self, **extra: str) -> dict[str, str]:
        return {"token": self._token, **extra} if self._token else extra

    @staticmethod
    def _conversation(sender_id: str) -> str:
        # Rasa's routes do not unquote their parameters: the channels' namespace separator
        # (`telegram:42`) must stay as it is; anything else a REST sender may hold is quoted.
        return f"/conversations/{quote(sender_id, safe=':')}"

    async def append(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        """Append events and send the bot messages among them to the user's channel."""
        path = f"{self._conversation(sender_id)}/tracker/events"
        params = self._params(output_channel="latest", execute_side_effects="true")
        try:
            response = await self._http().post(path, params=params, json=events)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            raise RasaError(f"appending to {sender_id} failed: {exc}") from exc

    async def events(self, sender_id: str) -> list[dict[str, Any]]:
        """The conversation's events (since its last restart)."""
        path = f"{self._conversation(sender_id)}/tracker"
        try:
            response = await self._http().get(path, params=self._params())
            response.raise_for_status()
            return list(response.json().get("events") or [])
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaError(f"reading {sender_id} failed: {exc}") from exc

    async def reachable(self, timeout: float = 2.0) -> bool:
        """Whether the Rasa server answers at all (for health checks)."""
        try:
            response = await self._http().get("/", timeout=timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
