"""Running an action as the Rasa server would, against a fake web app.

The fake answers the web app's JSON API from canned replies and records every request; it is
installed with `actions.webapp.set_webapp`, so the actions run their real client code.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import httpx
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.webapp import WebAppClient
from bot.responses import fill, load_domain, variation_for
from bot.settings import ROOT

DOMAIN = load_domain(ROOT / "domain.yml")
SENDER = "user-1"


@dataclass
class Request:
    method: str
    path: str
    body: dict[str, Any]


@dataclass
class FakeWebApp:
    """Replies by path: a JSON body, an HTTP status (an error), or 404 for unknown paths."""

    replies: dict[str, dict[str, Any] | int] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else dict(request.url.params)
        self.requests.append(Request(request.method, request.url.path, body))
        reply = self.replies.get(request.url.path, 404)
        if isinstance(reply, int):
            return httpx.Response(reply)
        return httpx.Response(200, json=reply)

    def client(self) -> WebAppClient:
        return WebAppClient("http://webapp.test", transport=httpx.MockTransport(self.handle))

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]


def tracker(
    text: str,
    intent: str = "ask_question",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
    latest_action: str = "action_listen",
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    """The tracker of a conversation whose latest message is `text`, on the REST channel."""
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    user = {"event": "user", "text": text, "timestamp": 1700000000.0,
            "input_channel": "rest", "parse_data": latest}  # fmt: skip
    history = [*(events or []), user]
    return Tracker(SENDER, slots or {}, latest, history, False, None, {}, latest_action)


@dataclass
class Outcome:
    """What one action run did: the messages sent, the events returned, the slots after."""

    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]
    slots: dict[str, Any]

    def texts(self) -> list[str]:
        return [m.get("text") or "" for m in self.messages]

    def responses(self) -> list[str]:
        return [m["response"] for m in self.messages if m.get("response")]

    def customs(self) -> list[dict[str, Any]]:
        return [m["custom"] for m in self.messages if m.get("custom")]


def run(action: Action, tracker: Tracker) -> Outcome:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    slots = dict(tracker.slots)
    slots.update({e["name"]: e["value"] for e in events if e.get("event") == "slot"})
    return Outcome(dispatcher.messages, events, slots)


def said(name: str, lang: str, **values: str) -> str:
    """The text of response `name` in `lang`, as domain.yml has it."""
    return fill(variation_for(DOMAIN, name, lang)["text"], values)
