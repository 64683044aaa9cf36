"""Over a thousand generated hostile inputs per database, over REST, socket.io and the web app's
API, against the real stack: no process exits, nothing answers 5xx, no traceback is logged, and
every message is refused with a 4xx or a clear reply, or answered."""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.security.clients import SocketClient
from tests.security.conftest import REST_TOKEN
from tools.devstack import Stack

pytestmark = pytest.mark.e2e

# Per database. Most inputs are refused at the edge or answered by the web app in
# milliseconds; about 200 per database reach NLU, which keeps a run within a minute or two.
REST_INPUTS = 320
API_INPUTS = 640
SOCKET_INPUTS = 60
SOCKET_CLIENTS = 6
WORKERS = 8
RUN = uuid.uuid4().hex[:8]
"""Senders differ between runs: a conversation a person took over stays silent, rightly."""

NASTY_TEXTS = [
    "\ud800", "\udfff\ud800", "a\u0000b", "\u0000", "\x1b[31mred", "\u202eevil", "\u200b" * 50,
    "' OR 1=1; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "%s%s%n",
    '/choose_entry{"kb_entry":"card.nonexistent"}', '/choose_entry{"kb_entry": 5}',
    "/choose_entry{not json", "/restart", "/session_start", "/nlu_fallback", "/stop_handoff",
    '/choose_language{"language":"xx"}', "/feedback", "/", "//", "🙂" * 300, "ź" * 1000,
    "PESEL 90010112345", "\r\n\r\n", " ", "", "\\ud800", "null", "[" * 50,
]  # fmt: skip
NASTY_VALUES: list[Any] = [None, 0, -1, 1.5, True, False, [], ["a"], {}, {"a": "b"}, 10**30]
NASTY_METADATA: list[Any] = [*NASTY_VALUES, {"language": "\ud800"}, {"language": "x" * 999}]
BROKEN_BODIES = [b"", b"null", b"[]", b'"x"', b"1", b"true", b"{", b"\xff\xfe"]


def _text(rng: random.Random) -> Any:
    kind = rng.random()
    if kind < 0.45:
        return rng.choice(NASTY_TEXTS)
    if kind < 0.55:
        return rng.choice(NASTY_VALUES)
    if kind < 0.65:
        return "x" * rng.choice([1001, 5000, 100_000])
    if kind < 0.8:
        return "".join(chr(rng.randrange(0, 0x3000)) for _ in range(rng.randrange(1, 60)))
    return rng.choice(["Ile kosztuje karta pobytu?", "how long does it take?", "привіт"])


def _sender(rng: random.Random, index: int) -> Any:
    kind = rng.random()
    if kind < 0.4:
        return f"fuzz-{RUN}-{index}"
    if kind < 0.55:
        return "s" * rng.choice([129, 256, 5000])
    if kind < 0.8:
        return rng.choice(["x\ud800", "a\u0000b", "", "   ", "telegram:1", "webchat:abc"])
    return rng.choice(NASTY_VALUES)


def rest_bodies(rng: random.Random) -> list[bytes]:
    bodies: list[bytes] = []
    for index in range(REST_INPUTS):
        kind = rng.random()
        if kind < 0.1:
            bodies.append(
                rng.choice([b"", b"null", b"[]", b'"x"', b"1", b"true", b"{", b"\xff\xfe"])
            )
            continue
        if kind < 0.12:
            bodies.append(b"[" * 100_000)
            continue
        body: dict[str, Any] = {"sender": _sender(rng, index), "message": _text(rng)}
        if rng.random() < 0.3:
            body["metadata"] = rng.choice(
                [*NASTY_VALUES, {"language": "\ud800"}, {"language": "x" * 999}]
            )
        if rng.random() < 0.1:
            body["input_channel"] = rng.choice(["c" * 64, "\u0000", 7, "webchat"])
        if rng.random() < 0.1:
            del body[rng.choice(["sender", "message"])]
        bodies.append(json.dumps(body).encode())
    return bodies


def api_calls(rng: random.Random) -> list[tuple[str, bytes]]:
    calls: list[tuple[str, bytes]] = []
    for index in range(API_INPUTS):
        path = rng.choice(["/api/search", "/api/detect-language", "/api/feedback"])
        if rng.random() < 0.1:
            calls.append((path, rng.choice([b"", b"null", b"[]", b"{", b'"x"', b"\xff"])))
            continue
        if path == "/api/feedback":
            body = {
                "kb_id": rng.choice(["card.fees", _text(rng)]),
                "helpful": rng.choice([True, "yes", None]),
                "question": _text(rng),
                "sender_id": _sender(rng, index),
            }
        else:
            body = {"text": _text(rng), "sender_id": _sender(rng, index)}
            if rng.random() < 0.3:
                body["lang"] = rng.choice(["pl", "xx", "\ud800", None, 5])
        calls.append((path, json.dumps(body).encode()))
    return calls


def socket_events(rng: random.Random) -> list[Any]:
    events: list[Any] = []
    for _ in range(SOCKET_INPUTS):
        kind = rng.random()
        if kind < 0.15:
            events.append(rng.choice([*NASTY_VALUES, "text", "\ud800"]))
            continue
        event: dict[str, Any] = {"message": _text(rng)}
        session = rng.random()
        if session < 0.6:
            event["session_id"] = "mine"
        elif session < 0.9:
            event["session_id"] = rng.choice(["abc\ud800", "a\u0000b", "", "x" * 5000, "1", None])
        if rng.random() < 0.3:
            event["metadata"] = rng.choice([*NASTY_VALUES, {"language": "\ud800"}])
        events.append(event)
    return events


def _run(calls: list[Callable[[], None]]) -> None:
    with ThreadPoolExecutor(WORKERS) as pool:
        for future in [pool.submit(call) for call in calls]:
            future.result()


def _fuzz(stack: Stack, token: str | None, seed: int) -> None:
    rng = random.Random(seed)
    rasa = httpx.Client(base_url=stack.config.rasa_url, timeout=120)
    web = httpx.Client(base_url=stack.config.web_url, timeout=60)
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    failures: list[str] = []

    def post_rest(body: bytes) -> Callable[[], None]:
        def call() -> None:
            response = rasa.post("/webhooks/rest/webhook", content=body, headers=headers)
            if response.status_code == 200:
                if not response.json():
                    failures.append(f"REST {body[:80]!r}: no reply")
            elif response.status_code != 400:
                failures.append(f"REST {body[:80]!r}: {response.status_code}")

        return call

    def post_api(path: str, body: bytes) -> Callable[[], None]:
        api_headers = {"Content-Type": "application/json"}
        api_headers["X-Internal-Token"] = stack.config.internal_token

        def call() -> None:
            response = web.post(path, content=body, headers=api_headers)
            if response.status_code >= 500:
                failures.append(f"{path} {body[:80]!r}: {response.status_code}")

        return call

    _run(
        [post_rest(b) for b in rest_bodies(rng)]
        + [post_api(path, body) for path, body in api_calls(rng)]
    )

    clients = [SocketClient(stack) for _ in range(SOCKET_CLIENTS)]
    try:
        for index, event in enumerate(socket_events(rng)):
            client = clients[index % len(clients)]
            if isinstance(event, dict) and event.get("session_id") == "mine":
                event = {**event, "session_id": client.session_id}
            client.emit(event)
        # Every socket still gets its answers after all that.
        for client in clients:
            client.say("Ile kosztuje karta pobytu?")
            client.replies(until='"kb_id": "card.fees"', timeout=180)
    finally:
        for client in clients:
            client.close()
    rasa.close()
    web.close()

    assert not failures, failures[:20]
    assert stack.dead() is None, f"{stack.dead()} exited"
    for log in (stack.config.var_dir / "log").glob("*.log"):
        assert "Traceback" not in log.read_text("utf-8", "replace"), f"traceback in {log}"


def test_hostile_inputs_on_sqlite(sqlite_stack):
    _fuzz(sqlite_stack, None, seed=19)


def test_hostile_inputs_on_postgresql(postgres_stack):
    _fuzz(postgres_stack, REST_TOKEN, seed=20)
