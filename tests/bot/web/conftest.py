"""A web app on SQLite with staff accounts, and a helper to log in through the real form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from bot.auth import create_user
from bot.search.service import SearchService
from bot.web.app import create_app
from tests.fakes import FakeEncoder

PASSWORD = "correct horse battery"
ROLES = {"admin": "pl,en,uk,ru", "curator": "pl,en,uk,ru", "consultant": "uk,ru"}


@pytest.fixture
def staff_app(settings):
    settings = settings.model_copy(update={"handoff_hours": "always"})
    service = SearchService(settings, encoder=FakeEncoder())
    app = create_app(settings, service)
    # The consoles are Polish by default; these tests read their English texts.
    with TestClient(app, headers={"Accept-Language": "en"}) as client:
        with app.state.db.session() as db:
            for role, languages in ROLES.items():
                create_user(db, role, PASSWORD, role, languages)
        yield client


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


@pytest.fixture
def login(staff_app) -> Callable[..., TestClient]:
    """Log `staff_app` in as `username` through the login form; returns the client."""

    def do_login(username: str, password: str = PASSWORD, next_path: str = "") -> TestClient:
        form = staff_app.get("/login")
        response = staff_app.post(
            "/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": csrf_of(form.text),
                "next": next_path,
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return staff_app

    return do_login
