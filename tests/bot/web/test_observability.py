"""The web app's log lines carry the caller's request and conversation ids; it echoes them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient

from bot.logs import JsonFormatter
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder


@pytest.fixture
def client(settings):
    service = SearchService(settings, encoder=FakeEncoder())
    with TestClient(create_app(settings, service)) as client:
        yield client


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("webapp"))
    logger = logging.getLogger("bot.web.observability")
    logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(previous)


def test_ids_from_the_action_server_reach_the_log_and_the_response(client, json_lines):
    headers = {"X-Request-ID": "a1b2c3d4e5f60718", "X-Conversation-ID": "0123456789abcdef"}
    response = client.post("/api/search", json={"text": "85010112345 karta"}, headers=headers)
    assert response.headers["x-request-id"] == "a1b2c3d4e5f60718"
    [line] = [x for x in json_lines() if "/api/search" in x["message"]]
    assert line["message"].startswith("POST /api/search 200 ")  # the route, not the text
    assert (line["request_id"], line["conversation_id"]) == ("a1b2c3d4e5f60718", "0123456789abcdef")


def test_a_request_without_ids_gets_one_and_forged_ids_are_replaced(client, json_lines):
    response = client.get("/api/entries/card.fees", headers={"X-Request-ID": 'x" injected'})
    generated = response.headers["x-request-id"]
    assert len(generated) == 16 and "injected" not in generated
    [line] = [x for x in json_lines() if "/api/entries/" in x["message"]]
    assert line["message"].startswith("GET /api/entries/{entry_id} 200 ")
    assert line["request_id"] == generated and line["conversation_id"] == ""
