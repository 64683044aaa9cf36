"""`/metrics`: guarded like the internal API; counts questions, ratings, handoffs and errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from bot.search.service import SearchService
from bot.settings import ROOT, Settings
from bot.web.app import create_app
from tests.fakes import FakeEncoder

TOKEN = "metrics-test-token-0123456789"


@pytest.fixture(scope="module")
def client(tmp_path_factory, models_dir):
    # One app for the module: starting one takes seconds, and every test measures deltas.
    folder = tmp_path_factory.mktemp("metrics")
    settings = Settings(
        kb_dir=ROOT / "data" / "kb",  # read only here
        models_dir=models_dir,
        var_dir=folder / "var",
        search_config=ROOT / "data" / "search.yml",
        internal_token=TOKEN,
    )
    service = SearchService(settings, encoder=FakeEncoder())
    with TestClient(create_app(settings, service)) as client:
        client.headers["X-Internal-Token"] = TOKEN
        yield client


def scrape(client: TestClient, **headers: str) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_need_the_internal_token(client):
    assert client.get("/metrics", headers={"X-Internal-Token": "wrong"}).status_code == 403
    bearer = {"X-Internal-Token": "", "Authorization": f"Bearer {TOKEN}"}
    assert scrape(client, **bearer)  # what a Prometheus scrape config sends


def test_every_metric_is_named_faq(client):
    names = {name for name, _labels in scrape(client)}
    assert names and all(name.startswith("faq_") for name in names), sorted(names)


def test_questions_ratings_and_latency_are_counted(client):
    before = scrape(client)
    body = {"text": "zgubiłem kartę pobytu", "lang": "uk", "channel": "telegram"}
    assert client.post("/api/search", json=body).json()["decision"] == "answer"
    client.post("/api/search", json={**body, "log": False})  # a tool's search: timed only
    rating = {"kb_id": "card.fees", "helpful": False, "lang": "en"}
    assert client.post("/api/feedback", json=rating).status_code == 201
    after = scrape(client)

    question = {"lang": "uk", "channel": "telegram", "decision": "answer"}
    assert value(after, "faq_questions_total", **question) == (
        value(before, "faq_questions_total", **question) + 1
    )
    assert value(after, "faq_search_seconds_count") == value(before, "faq_search_seconds_count") + 2
    assert value(after, "faq_feedback_total", helpful="false") == (
        value(before, "faq_feedback_total", helpful="false") + 1
    )
    route = {"route": "/api/search", "method": "POST", "status": "200"}
    assert value(after, "faq_http_request_seconds_count", **route) >= 2
    assert value(after, "faq_kb_entries") == len(client.app.state.search.kb.entries)


def test_handoffs_are_counted_and_open_ones_gauged(client):
    before = scrape(client)
    body = {"sender_id": "metrics-user", "channel": "rest", "lang": "en", "question": "help"}
    assert client.post("/api/handoffs", json={**body, "transcript": []}).status_code == 200
    after = scrape(client)
    # Outside the (default) office hours or with nobody online: a ticket draft.
    assert value(after, "faq_handoffs_total", event="ticket_draft") == (
        value(before, "faq_handoffs_total", event="ticket_draft") + 1
    )
    assert value(after, "faq_handoffs_open", state="ticket_draft") == (
        value(before, "faq_handoffs_open", state="ticket_draft") + 1
    )


def test_server_errors_are_counted(client, monkeypatch):  # last: it breaks the search
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(client.app.state.search.snapshot.searcher, "search", broken)
    before = scrape(client)
    failing = TestClient(client.app, raise_server_exceptions=False)
    failing.headers["X-Internal-Token"] = TOKEN
    assert failing.post("/api/search", json={"text": "karta"}).status_code == 500
    after = scrape(client)
    assert value(after, "faq_errors_total", where="request") == (
        value(before, "faq_errors_total", where="request") + 1
    )
