"""The web app's JSON API over real HTTP semantics (TestClient), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.db import Database, Feedback, QuestionLog
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder

POSTGRES_URL = "postgresql://127.0.0.1:5432/test"


def _postgres_available() -> bool:
    try:
        Database(POSTGRES_URL).engine.connect().close()
    except Exception:
        return False
    return True


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'faq.db'}"
    if not _postgres_available():
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (every dev/CI machine runs it)")
    return POSTGRES_URL


@pytest.fixture
def client(settings, database_url):
    settings = settings.model_copy(update={"database_url": database_url})
    service = SearchService(settings, encoder=FakeEncoder())
    with TestClient(create_app(settings, service)) as client:
        client.app.state.test_db = Database(database_url)  # type: ignore[attr-defined]
        yield client


def test_health(client):
    body = client.get("/health").json()
    assert body["status"] == "ok" and body["entries"] >= 41


def test_search_answers_in_the_requested_language_and_logs_the_question(client):
    sender = f"s-{uuid.uuid4().hex}"
    response = client.post(
        "/api/search",
        json={"text": "zgubiłem kartę pobytu", "lang": "uk", "sender_id": sender},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "answer"
    assert body["lang"] == "uk"
    [entry] = body["results"]
    assert entry["id"] == "card.loss"
    assert entry["answer"].startswith(
        client.app.state.search.kb.get("card.loss").texts["uk"].answer[:40]
    )
    assert entry["sources"] and entry["reviewed"]
    with client.app.state.test_db.session() as session:
        logged = session.scalars(select(QuestionLog).where(QuestionLog.sender_id == sender)).all()
    assert [(q.decision, q.kb_id, q.lang) for q in logged] == [("answer", "card.loss", "uk")]


def test_search_detects_the_language_when_not_given(client):
    body = client.post("/api/search", json={"text": "скільки коштує карта побиту?"}).json()
    assert body["lang"] == "uk"


@pytest.mark.parametrize(
    ("text", "fallback", "lang"),
    [("PESEL", "uk", "uk"), ("скільки коштує карта побиту?", "pl", "uk")],
)
def test_search_uses_the_fallback_language_only_when_the_text_does_not_tell(
    client, text, fallback, lang
):
    body = client.post("/api/search", json={"text": text, "fallback_lang": fallback}).json()
    assert body["lang"] == lang


def test_no_match_offers_nothing(client):
    body = client.post("/api/search", json={"text": "Jaka jutro pogoda w Krakowie?"}).json()
    assert body["decision"] == "no_match" and body["results"] == []


@pytest.mark.parametrize(
    ("text", "reason"), [("   ", "the message is empty"), ("x" * 1001, "at most 1000")]
)
def test_bad_messages_get_a_clear_error(client, text, reason):
    response = client.post("/api/search", json={"text": text})
    assert response.status_code == 422
    assert reason in response.text


def test_entry_lookup(client):
    assert client.get("/api/entries/card.fees", params={"lang": "ru"}).json()["id"] == "card.fees"
    assert client.get("/api/entries/no.such").status_code == 404
    assert client.get("/api/entries/card.fees", params={"lang": "de"}).status_code == 422


def test_feedback_is_stored(client):
    sender = f"s-{uuid.uuid4().hex}"
    body = {"kb_id": "card.fees", "helpful": False, "lang": "en", "sender_id": sender}
    assert client.post("/api/feedback", json=body).status_code == 201
    assert client.post("/api/feedback", json={**body, "kb_id": "no.such"}).status_code == 404
    with client.app.state.test_db.session() as session:
        rows = session.scalars(select(Feedback).where(Feedback.sender_id == sender)).all()
    assert [(f.kb_id, f.helpful) for f in rows] == [("card.fees", False)]


def test_detect_language(client):
    assert client.post("/api/detect-language", json={"text": "Cześć"}).json() == {"lang": "pl"}
    assert client.post("/api/detect-language", json={"text": "ok"}).json() == {"lang": None}


def test_personal_data_is_not_stored_in_the_question_log(client):
    sender = f"s-{uuid.uuid4().hex}"
    text = "mój paszport AB1234567, zgubiłem kartę pobytu"
    client.post("/api/search", json={"text": text, "sender_id": sender})
    with client.app.state.test_db.session() as session:
        [logged] = session.scalars(select(QuestionLog).where(QuestionLog.sender_id == sender))
    assert "AB1234567" not in logged.text
    assert logged.text == "mój paszport […], zgubiłem kartę pobytu"
