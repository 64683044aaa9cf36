"""Accounts on a real SQLite database: hashing, throttling, sessions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.auth import (
    AccountError,
    LoginThrottled,
    authenticate,
    create_session,
    create_user,
    end_session,
    session_user,
)
from bot.auth.accounts import MAX_FAILURES_PER_USER
from bot.db import Database, User

PASSWORD = "correct horse battery"


@pytest.fixture
def database(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'faq.db'}")
    database.upgrade()
    yield database
    database.dispose()


def test_password_is_stored_as_argon2id_hash_only(database):
    with database.session() as db:
        create_user(db, "ola", PASSWORD, "curator")
    with database.session() as db:
        user = db.scalar(select(User).where(User.username == "ola"))
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("username", "password", "role", "languages"),
    [
        ("", PASSWORD, "curator", "pl"),
        ("ola", "short", "curator", "pl"),
        ("ola", PASSWORD, "superuser", "pl"),
        ("ola", PASSWORD, "consultant", "pl,de"),
    ],
)
def test_invalid_accounts_are_refused(database, username, password, role, languages):
    with database.session() as db, pytest.raises(AccountError):
        create_user(db, username, password, role, languages)


def test_duplicate_username_is_refused(database):
    with database.session() as db:
        create_user(db, "ola", PASSWORD, "curator")
    with database.session() as db, pytest.raises(AccountError, match="already exists"):
        create_user(db, "ola", PASSWORD, "consultant")


def test_login_checks_the_password_and_throttles_repeated_failures(database):
    with database.session() as db:
        create_user(db, "ola", PASSWORD, "curator")
    assert authenticate(database, "ola", PASSWORD, "10.0.0.1").username == "ola"
    for _ in range(MAX_FAILURES_PER_USER):
        assert authenticate(database, "ola", "wrong password!", "10.0.0.2") is None
    with pytest.raises(LoginThrottled):
        # Even the right password is refused while the username is locked.
        authenticate(database, "ola", PASSWORD, "10.0.0.3")


def test_sessions_resolve_to_their_user_until_logout(database):
    with database.session() as db:
        user = create_user(db, "kasia", PASSWORD, "consultant", "uk,ru")
        new = create_session(db, user)
    with database.session() as db:
        found = session_user(db, new.token)
        assert found is not None and found.user.username == "kasia"
        assert found.user.language_list == ["uk", "ru"]
        assert found.csrf_token == new.csrf_token
        assert session_user(db, new.token + "x") is None
        end_session(db, new.token)
    with database.session() as db:
        assert session_user(db, new.token) is None
