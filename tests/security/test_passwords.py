"""Passwords: length, the common-password list, changing one's own, `Secure` cookies.

The attacks: a 12-character common password ("qwerty123456") was accepted, users could not
replace a password an admin had handed them, and the login form's CSRF cookie went over
plain HTTP even with FAQ_COOKIE_SECURE set.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.auth import AccountError, create_user
from bot.auth.accounts import check_password
from bot.search.service import SearchService
from bot.web.app import create_app
from bot.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE
from tests.bot.web.conftest import PASSWORD, csrf_of, login, staff_app  # noqa: F401 - fixtures
from tests.fakes import FakeEncoder

NEW_PASSWORD = "a tram to Wieliczka at dawn"


@pytest.mark.parametrize(
    "password", ["short", "qwerty123456", "1qaz2wsx3edc", "Password2024!", "iloveyou1234567"]
)
def test_short_and_common_passwords_are_refused(password):
    with pytest.raises(AccountError):
        check_password(password)


def test_a_long_uncommon_password_is_accepted():
    check_password(NEW_PASSWORD)


def _change(client: TestClient, current: str, new: str):
    page = client.get("/account/password")
    assert page.status_code == 200
    data = {"csrf_token": csrf_of(page.text), "current": current, "new": new}
    return client.post("/account/password", data=data, follow_redirects=False)


def test_users_change_their_own_password(staff_app, login):  # noqa: F811
    client = login("consultant")
    assert _change(client, "not my password", NEW_PASSWORD).status_code == 422
    assert _change(client, PASSWORD, "qwerty123456").status_code == 422
    changed = _change(client, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 303
    assert client.get("/consultant/").status_code == 200  # this session stays
    client.cookies.clear()
    page = client.get("/login")
    old = {"username": "consultant", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
    assert client.post("/login", data=old).status_code == 401
    assert login("consultant", NEW_PASSWORD).cookies.get(SESSION_COOKIE)


def test_changing_the_password_needs_the_csrf_token(staff_app, login):  # noqa: F811
    client = login("curator")
    data = {"current": PASSWORD, "new": NEW_PASSWORD}
    assert client.post("/account/password", data=data).status_code == 403


def test_every_cookie_is_secure_when_configured(settings):
    settings = settings.model_copy(update={"cookie_secure": True})
    app = create_app(settings, SearchService(settings, encoder=FakeEncoder()))
    with TestClient(app, base_url="https://testserver") as client:
        with app.state.db.session() as db:
            create_user(db, "ola", PASSWORD, "curator")
        page = client.get("/login")
        login_cookie = page.headers["set-cookie"]
        assert login_cookie.startswith(LOGIN_CSRF_COOKIE) and "Secure" in login_cookie
        data = {"username": "ola", "password": PASSWORD, "csrf_token": csrf_of(page.text)}
        response = client.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 303
        set_cookies = response.headers.get_list("set-cookie")
        assert set_cookies and all("Secure" in header for header in set_cookies), set_cookies
