"""The admin's accounts page: create, deactivate, reset a password, set languages and the name
users see on a consultant's messages."""

from __future__ import annotations

import re

from bot.db import User
from tests.bot.web.conftest import csrf_of


def _user_id(page: str, username: str) -> str:
    row = page.split(f'id="user-{username}"')[1]
    return re.search(r"/staff/users/(\d+)/", row).group(1)


def test_only_admins_manage_accounts(staff_app, login):
    login("curator")
    assert staff_app.get("/staff/users").status_code == 403


def test_admin_creates_deactivates_resets_and_sets_languages(staff_app, login):
    client = login("admin")
    page = client.get("/staff/users").text
    token = csrf_of(page)
    created = client.post(
        "/staff/users",
        data={"csrf_token": token, "username": "olena", "password": "x" * 12,
              "role": "consultant", "languages": ["uk", "ru"]},
    )  # fmt: skip
    assert "Account olena created" in created.text
    olena = _user_id(created.text, "olena")

    short = client.post(
        f"/staff/users/{olena}/password", data={"csrf_token": token, "password": "short"}
    )
    assert "at least 12 characters" in short.text
    client.post(f"/staff/users/{olena}/password", data={"csrf_token": token, "password": "y" * 12})
    client.post(f"/staff/users/{olena}/languages", data={"csrf_token": token, "languages": ["uk"]})
    page = client.post(
        f"/staff/users/{olena}/active", data={"csrf_token": token, "active": "false"}
    ).text
    assert "olena is now deactivated" in page

    client.post("/logout", data={"csrf_token": token})
    form = client.get("/login")
    refused = client.post(
        "/login",
        data={"username": "olena", "password": "y" * 12, "csrf_token": csrf_of(form.text)},
    )
    assert refused.status_code == 401
    with client.app.state.db.session() as db:
        user = db.get(User, int(olena))
        assert user.languages == "uk" and not user.active


def test_an_admin_cannot_deactivate_themself(staff_app, login):
    client = login("admin")
    page = client.get("/staff/users").text
    me = _user_id(page, "admin")
    response = client.post(
        f"/staff/users/{me}/active", data={"csrf_token": csrf_of(page), "active": "false"}
    )
    assert "cannot deactivate your own account" in response.text
    assert client.get("/staff/users").status_code == 200


def test_admin_sets_the_name_users_see_on_a_consultants_messages(staff_app, login):
    client = login("admin")
    page = client.get("/staff/users").text
    token, consultant = csrf_of(page), _user_id(page, "consultant")
    named = client.post(
        f"/staff/users/{consultant}/display-name",
        data={"csrf_token": token, "display_name": "  Anna \n "},
    )
    assert 'name="display_name" value="Anna"' in named.text
    too_long = client.post(
        f"/staff/users/{consultant}/display-name",
        data={"csrf_token": token, "display_name": "A" * 65},
    )
    assert "at most 64 characters" in too_long.text
    with client.app.state.db.session() as db:
        assert db.get(User, int(consultant)).display_name == "Anna"
