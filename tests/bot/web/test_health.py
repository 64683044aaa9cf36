"""Health checks: liveness always, readiness 503 without the database, Rasa reported."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.db import Database
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder
from tools.devstack import free_port


@pytest.fixture
def client(settings):
    # Nothing listens on this port: Rasa is "down" whatever else runs on this machine.
    settings = settings.model_copy(update={"rasa_url": f"http://127.0.0.1:{free_port()}"})
    service = SearchService(settings, encoder=FakeEncoder())
    with TestClient(create_app(settings, service)) as client:
        yield client


def test_ready_reports_each_dependency_and_rasa_does_not_make_it_unready(client):
    for path in ("/health", "/health/ready"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["checks"] == {"database": "ok", "index": "ok", "rasa": "down"}
        assert body["entries"] >= 41


def test_without_the_database_it_is_live_but_not_ready(client):
    working = client.app.state.db
    client.app.state.db = Database(f"postgresql://127.0.0.1:{free_port()}/nothing")
    try:
        response = client.get("/health/ready")
        assert response.status_code == 503
        assert response.json()["checks"]["database"] == "down"
        assert client.get("/health").status_code == 503
        assert client.get("/health/live").status_code == 200
    finally:
        client.app.state.db.dispose()
        client.app.state.db = working
