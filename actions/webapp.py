"""The action server's client of the web app's JSON API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from actions.settings import get_action_settings
from bot.inbound import MAX_MESSAGE_CHARS
from bot.logs import CONVERSATION_ID, CONVERSATION_ID_HEADER, REQUEST_ID, REQUEST_ID_HEADER


class WebAppError(Exception):
    """The web app could not be reached or refused the request."""


class WebAppClient:
    """Async HTTP client for the web app; one connection pool per action-server process."""

    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        internal_token: str = "",
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        """`transport` replaces the network (tests answer with a fake web app)."""
        self._base_url = base_url.rstrip("/")
        self._timeout = timeout
        self._headers = {"X-Internal-Token": internal_token} if internal_token else {}
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self._base_url,
                timeout=self._timeout,
                headers=self._headers,
                transport=self._transport,
            )
        return self._client

    async def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            response = await self._http().post(path, json=body, headers=_trace_headers())
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise WebAppError(f"POST {path} failed: {type(exc).__name__} {exc}") from exc

    async def _get(self, path: str, params: dict[str, str]) -> dict[str, Any] | None:
        try:
            response = await self._http().get(path, params=params, headers=_trace_headers())
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise WebAppError(f"GET {path} failed: {type(exc).__name__} {exc}") from exc

    async def search(
        self,
        text: str,
        lang: str | None,
        sender_id: str,
        channel: str,
        fallback_lang: str | None = None,
    ) -> dict[str, Any]:
        """Search; with `lang` None the web app detects the reply language (result "lang")."""
        body = {"text": text, "lang": lang, "sender_id": sender_id, "channel": channel,
                "fallback_lang": fallback_lang}  # fmt: skip
        return await self._post("/api/search", body)

    async def entry(self, entry_id: str, lang: str) -> dict[str, Any] | None:
        return await self._get(f"/api/entries/{entry_id}", {"lang": lang})

    async def finder_step(self, body: dict[str, Any]) -> dict[str, Any]:
        """The permit finder's next question or result (see bot/web/routers/finder.py)."""
        return await self._post("/api/finder/step", body)

    async def detect_language(self, text: str) -> str | None:
        result = await self._post("/api/detect-language", {"text": text[:MAX_MESSAGE_CHARS]})
        return result.get("lang")

    async def feedback(
        self, kb_id: str, helpful: bool, lang: str, question: str, sender_id: str
    ) -> None:
        body = {
            "kb_id": kb_id,
            "helpful": helpful,
            "lang": lang,
            "question": question[:MAX_MESSAGE_CHARS],
            "sender_id": sender_id,
        }
        await self._post("/api/feedback", body)

    async def start_handoff(
        self,
        sender_id: str,
        channel: str,
        lang: str,
        question: str,
        transcript: list[dict[str, Any]],
    ) -> dict[str, Any]:
        body = {
            "sender_id": sender_id,
            "channel": channel,
            "lang": lang,
            "question": question[:4000],
            "transcript": transcript,
        }
        return await self._post("/api/handoffs", body)

    async def relay(self, sender_id: str, text: str, ts: float | None) -> dict[str, Any]:
        return await self._post(f"/api/handoffs/{quote(sender_id, safe='')}/messages",
                                {"text": text[:4000], "ts": ts})  # fmt: skip

    async def end_handoff(self, sender_id: str) -> dict[str, Any]:
        return await self._post(f"/api/handoffs/{quote(sender_id, safe='')}/end", {})


def _trace_headers() -> dict[str, str]:
    """The running action's ids (actions/base.py), so the web app logs them too."""
    ids = {REQUEST_ID_HEADER: REQUEST_ID.get(), CONVERSATION_ID_HEADER: CONVERSATION_ID.get()}
    return {name: value for name, value in ids.items() if value}


_client: WebAppClient | None = None


def get_webapp() -> WebAppClient:
    """The process-wide client, created on first use (not at import)."""
    global _client
    if _client is None:
        settings = get_action_settings()
        _client = WebAppClient(
            settings.webapp_url, settings.webapp_timeout, settings.internal_token
        )
    return _client


def set_webapp(client: WebAppClient | None) -> None:
    """Replace the process-wide client; None makes the next use create it from the settings.

    The action tests install a client answered by a fake web app (tests/actions/fakes.py).
    """
    global _client
    _client = client
