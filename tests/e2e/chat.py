"""Talking to the running assistant over Rasa's REST channel, and reading its replies."""

from __future__ import annotations

import uuid
from typing import Any

import httpx


class Chat:
    """One user talking to the assistant over Rasa's REST channel."""

    def __init__(self, rasa_url: str, sender: str | None = None):
        self.url = f"{rasa_url}/webhooks/rest/webhook"
        self.sender = sender or f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"sender": self.sender, "message": text}
        if metadata:
            body["metadata"] = metadata
        response = httpx.post(self.url, json=body, timeout=60)
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]


def texts(messages: list[dict[str, Any]]) -> str:
    """Everything the bot wrote, as one string (Rasa splits texts at blank lines)."""
    return "\n\n".join(m["text"] for m in messages if m.get("text"))


def customs(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m["custom"] for m in messages if m.get("custom")]


def _variation(domain: dict[str, Any], name: str, lang: str) -> dict[str, Any]:
    """Response `name`'s variation for `lang` (Polish is the unconditioned one)."""
    for variation in domain["responses"][name]:
        conditions = variation.get("condition") or []
        if (lang == "pl" and not conditions) or any(c.get("value") == lang for c in conditions):
            return variation  # type: ignore[no-any-return]
    raise KeyError(f"{name}/{lang}")


def response_text(domain: dict[str, Any], name: str, lang: str) -> str:
    """The text of response `name` in `lang`."""
    return str(_variation(domain, name, lang)["text"]).strip()


def variation_buttons(domain: dict[str, Any], name: str, lang: str) -> list[dict[str, str]]:
    """The buttons of response `name` in `lang`."""
    return list(_variation(domain, name, lang).get("buttons") or [])


def first_paragraph(text: str) -> str:
    return text.strip().split("\n\n")[0].strip()


def handoff_replies(domain: dict[str, Any], lang: str) -> dict[str, str]:
    """The fixed start of each reply to a request for a person, by its `handoff` payload.

    Whether the conversation is queued or becomes a ticket depends on whether a consultant
    is online, so tests that do not control that accept either.
    """
    names = {"queued": "utter_handoff_queued", "ticket": "utter_handoff_unavailable"}
    return {k: response_text(domain, v, lang).split("{")[0].strip() for k, v in names.items()}
