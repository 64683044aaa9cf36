"""The internal handoff API the action server calls, with its token."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder

TOKEN = "internal-secret"


@pytest.fixture
def internal(settings):
    settings = settings.model_copy(update={"internal_token": TOKEN, "handoff_hours": "never"})
    with TestClient(create_app(settings, SearchService(settings, encoder=FakeEncoder()))) as c:
        yield c


def test_the_internal_api_needs_the_token(internal):
    body = {"sender_id": "s1", "lang": "uk"}
    assert internal.post("/api/handoffs", json=body).status_code == 403
    wrong = internal.post("/api/handoffs", json=body, headers={"X-Internal-Token": "guess"})
    assert wrong.status_code == 403


def test_outside_hours_the_user_leaves_a_message_and_an_address(internal):
    headers = {"X-Internal-Token": TOKEN}
    sender = f"s-{uuid.uuid4().hex}"
    started = internal.post(
        "/api/handoffs",
        json={"sender_id": sender, "lang": "pl", "question": "Chcę porozmawiać z konsultantem"},
        headers=headers,
    ).json()
    assert started["state"] == "ticket_draft" and started["reason"] == "outside_hours"
    assert started["needs"] == "message"
    relay = f"/api/handoffs/{sender}/messages"
    first = internal.post(relay, json={"text": "Kiedy odbiorę kartę?", "ts": 1.0}, headers=headers)
    assert first.json()["needs"] == "email"
    done = internal.post(relay, json={"text": "jan@example.com", "ts": 2.0}, headers=headers)
    assert done.json()["state"] == "ticket"
    after = internal.post(relay, json={"text": "a to jeszcze?", "ts": 3.0}, headers=headers)
    assert after.json() == {**after.json(), "open": False}


def test_the_user_can_end_the_handoff(internal):
    headers = {"X-Internal-Token": TOKEN}
    sender = f"s-{uuid.uuid4().hex}"
    internal.post("/api/handoffs", json={"sender_id": sender, "lang": "en"}, headers=headers)
    assert internal.post(f"/api/handoffs/{sender}/end", headers=headers).json()["open"] is False
    relay = internal.post(f"/api/handoffs/{sender}/messages", json={"text": "hi"}, headers=headers)
    assert relay.json()["open"] is False


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/search", {"text": "karta pobytu"}),
        ("post", "/api/detect-language", {"text": "Cześć"}),
        ("post", "/api/feedback", {"kb_id": "card.fees", "helpful": True, "lang": "pl"}),
        ("get", "/api/entries/card.fees", None),
    ],
)
def test_the_action_servers_api_is_closed_to_others(internal, method, path, body):
    kwargs = {"json": body} if body else {}
    assert getattr(internal, method)(path, **kwargs).status_code == 403
    foreign = {"X-Internal-Token": "żółw".encode()}  # non-ASCII must not raise (a 500)
    assert getattr(internal, method)(path, headers=foreign, **kwargs).status_code == 403
    allowed = getattr(internal, method)(path, headers={"X-Internal-Token": TOKEN}, **kwargs)
    assert allowed.is_success
