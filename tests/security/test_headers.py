"""Security headers: no inline script, framing or sniffing; no cached staff pages; no API map."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.auth import create_user
from bot.search.service import SearchService
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.templating import TEMPLATES
from tests.fakes import FakeEncoder

PASSWORD = "correct horse battery"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


@contextmanager
def _client(settings: Settings, admin: bool = True) -> Iterator[TestClient]:
    app = create_app(settings, SearchService(settings, encoder=FakeEncoder()))
    with TestClient(app) as client:
        if admin:
            with app.state.db.session() as db:
                create_user(db, "admin", PASSWORD, "admin", "pl,en,uk,ru")
        yield client


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with _client(settings) as started:
        yield started


def _login(client: TestClient) -> None:
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    data = {"username": "admin", "password": PASSWORD, "csrf_token": token[1]}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def _policy(response: httpx.Response) -> dict[str, str]:
    header = response.headers.get("content-security-policy", "")
    return {d.split()[0]: d for d in (p.strip() for p in header.split(";")) if d}


def test_every_response_forbids_framing_sniffing_and_inline_script(client: TestClient) -> None:
    for path in ("/", "/login", "/health", "/static/widget.js", "/no-such-page"):
        response = client.get(path)
        policy = _policy(response)
        assert "'self'" in policy.get("script-src", ""), path
        assert "unsafe-inline" not in policy.get("script-src", "") + policy.get("style-src", "")
        assert policy.get("frame-ancestors") == "frame-ancestors 'none'", path
        assert response.headers.get("x-frame-options") == "DENY", path
        assert response.headers.get("x-content-type-options") == "nosniff", path
        assert response.headers.get("referrer-policy"), path


def test_the_widget_may_still_reach_the_rasa_server(client: TestClient, settings: Settings) -> None:
    connect = _policy(client.get("/"))["connect-src"]
    host = settings.rasa_public_url.split("://", 1)[1]
    assert f"http://{host}" in connect and f"ws://{host}" in connect
    widget = client.get("/static/widget.js")
    assert widget.status_code == 200 and "javascript" in widget.headers["content-type"]


def test_staff_pages_are_never_cached(client: TestClient) -> None:
    assert client.get("/login").headers.get("cache-control") == "no-store"
    _login(client)
    for path in ("/staff/", "/staff/history", "/consultant/", "/consultant/api/state"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("cache-control") == "no-store", path
        assert not INLINE_SCRIPT.search(response.text), path
    assert "no-store" not in client.get("/static/widget.js").headers.get("cache-control", "")


def test_no_template_carries_inline_script_or_style() -> None:
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        assert not INLINE_SCRIPT.search(text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text, re.I), template.name


def test_api_documentation_is_off_by_default(client: TestClient, settings: Settings) -> None:
    for path in ("/docs", "/openapi.json", "/redoc"):
        assert client.get(path).status_code == 404, path
    opened = settings.model_copy(update={"api_docs": True})
    with _client(opened, admin=False) as docs_client:
        assert docs_client.get("/openapi.json").status_code == 200
