"""Login, logout, redirects and CSRF over the real app (TestClient)."""

from __future__ import annotations

from bot.web.security import SESSION_COOKIE
from tests.bot.web.conftest import csrf_of


def test_login_sets_a_httponly_samesite_cookie_and_lands_by_role(staff_app):
    form = staff_app.get("/login")
    response = staff_app.post(
        "/login",
        data={"username": "consultant", "password": "correct horse battery",
              "csrf_token": csrf_of(form.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    assert response.headers["location"] == "/consultant/"
    cookie = next(
        header
        for header in response.headers.get_list("set-cookie")
        if header.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_wrong_password_shows_the_form_again_with_an_error(staff_app):
    form = staff_app.get("/login")
    response = staff_app.post(
        "/login",
        data={"username": "curator", "password": "nope nope nope",
              "csrf_token": csrf_of(form.text)},
    )  # fmt: skip
    assert response.status_code == 401
    assert "Wrong username or password" in response.text
    assert SESSION_COOKIE not in staff_app.cookies


def test_login_without_the_form_token_is_refused(staff_app):
    staff_app.get("/login")
    response = staff_app.post(
        "/login", data={"username": "curator", "password": "correct horse battery"}
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in staff_app.cookies


def test_next_is_followed_only_for_local_paths(login):
    client = login("curator", next_path="//evil.example/steal")
    assert client.get("/login").status_code == 200
    form = client.get("/login")
    response = client.post(
        "/login",
        data={"username": "curator", "password": "correct horse battery",
              "csrf_token": csrf_of(form.text), "next": "https://evil.example/"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/staff/"


def test_logout_needs_the_csrf_token_and_then_ends_the_session(login):
    client = login("consultant")
    token = client.cookies[SESSION_COOKIE]
    assert client.post("/logout", follow_redirects=False).status_code == 403
    page = client.get("/consultant/")
    response = client.post(
        "/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/consultant/", follow_redirects=False).status_code == 303
