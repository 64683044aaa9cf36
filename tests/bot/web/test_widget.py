"""The widget's suggested topics: the most asked entries, in the user's language, on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from bot.db import Database, QuestionLog
from bot.payloads import START_FINDER, entry_choice
from bot.search.service import SearchService
from bot.web.app import create_app
from bot.web.routers.widget import TOPICS, MostAsked
from tests.fakes import FakeEncoder
from tests.pg import database_url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def client(settings, url):
    settings = settings.model_copy(update={"database_url": url})
    with TestClient(create_app(settings, SearchService(settings, encoder=FakeEncoder()))) as client:
        yield client


def _asked(client: TestClient, kb_id: str, times: int, decision: str = "answer", days_ago=0):
    when = datetime.now(UTC) - timedelta(days=days_ago)
    with client.app.state.db.session() as db:
        for _ in range(times):
            db.add(
                QuestionLog(
                    created_at=when, lang="pl", text="?", decision=decision, kb_id=kb_id, score=1
                )
            )


def test_without_traffic_the_curated_topics_come_in_the_users_language(client):
    response = client.get("/api/widget/topics", params={"lang": "uk"})
    assert response.status_code == 200
    body = response.json()
    kb = client.app.state.search.kb
    defaults = client.app.state.settings.widget_topic_ids
    assert [t["id"] for t in body["topics"]] == defaults[:TOPICS]
    assert [t["title"] for t in body["topics"]] == [kb.get(i).text("uk").title for i in defaults]
    assert [t["payload"] for t in body["topics"]] == [entry_choice(i) for i in defaults]
    assert body["lang"] == "uk" and body["finder_payload"] == START_FINDER
    # Embedded on the office's pages, the widget reads it from another origin.
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_most_answered_entries_come_first_then_the_curated_ones(client):
    _asked(client, "office.contact", 3)
    _asked(client, "card.loss", 2)
    _asked(client, "card.loss", 5, decision="clarify")  # not answered: not counted
    _asked(client, "proc.appeal", 9, days_ago=40)  # too long ago
    _asked(client, "retired.entry", 9)  # no longer in the knowledge base
    _asked(client, "redirect.driving_licence", 9)  # another office's: not suggested here
    body = client.get("/api/widget/topics", params={"lang": "en"}).json()
    defaults = client.app.state.settings.widget_topic_ids
    assert [t["id"] for t in body["topics"]] == ["office.contact", "card.loss", *defaults][:TOPICS]
    assert (
        body["topics"][0]["title"]
        == client.app.state.search.kb.get("office.contact").text("en").title
    )


def test_the_count_is_kept_briefly(client):
    database: Database = client.app.state.db
    cached, fresh = MostAsked(ttl=3600), MostAsked(ttl=0)
    assert cached.ids(database) == fresh.ids(database) == []
    _asked(client, "card.fees", 1)
    assert cached.ids(database) == []
    assert fresh.ids(database) == ["card.fees"]
