"""Accounts and sessions on the database.

Passwords are hashed with Argon2id and must be at least 12 characters and not a common
password. A session cookie is a random token of which only the SHA-256 is stored, so a
leaked database does not hand out logins. Failed logins are counted per username and per
client address; too many in the window lock that key for the window.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import string
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.db.engine import Database
from bot.db.models import LoginAttempt, StaffSession, User, utcnow
from bot.translatable import N_, TranslatableError

ROLES = ("admin", "curator", "consultant")
LANGUAGES = ("pl", "en", "uk", "ru")
MIN_PASSWORD = 12
SESSION_LIFETIME = timedelta(hours=12)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
COMMON_PASSWORDS = Path(__file__).resolve().parent / "common_passwords.txt"

HASHING_SLOTS = 1
"""Password hashes computed at once. Each Argon2 hash takes 64 MiB and several threads for
a tenth of a second; a burst of logins queues for these instead of taking the CPU."""
HASHING_NICENESS = 10

_hasher = PasswordHasher()


def _lower_priority() -> None:
    # Hashing yields the CPU to everything else the process serves (health checks, searches);
    # on Linux a thread's niceness is its own and passes to the threads Argon2 starts.
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


_hashing = ThreadPoolExecutor(HASHING_SLOTS, "password-hashing", initializer=_lower_priority)


def _hash(password: str) -> str:
    return _hashing.submit(_hasher.hash, password).result()


def _verify(password_hash: str, password: str) -> bool:
    """Whether `password` matches; False for a wrong password or an unreadable hash."""
    try:
        return _hashing.submit(_hasher.verify, password_hash, password).result()
    except (VerificationError, InvalidHashError):
        return False


# Verifying against this when the user does not exist keeps response times alike, so
# timing does not reveal which usernames exist.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(TranslatableError, ValueError):
    """A username, password, role or language that cannot be used."""


class LoginThrottled(Exception):
    """Too many failed logins for this username or address; try again later."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed logins; retry in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewSession:
    """The cookie value to hand to the browser, and the session's CSRF token."""

    token: str
    csrf_token: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    text = COMMON_PASSWORDS.read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def check_password(password: str) -> None:
    """The one password policy: long enough and not a common password.

    Raises:
        AccountError: naming what is wrong with it.
    """
    if len(password) < MIN_PASSWORD:
        raise AccountError(N_("password must be at least %(count)s characters"), count=MIN_PASSWORD)
    folded = password.lower()
    # "password2024!" is as guessable as "password": attackers try the list with suffixes.
    stem = folded.rstrip(string.digits + string.punctuation + " ")
    if folded in _common_passwords() or stem in _common_passwords():
        raise AccountError(N_("this password is too common; choose a less predictable one"))


def create_user(
    db: Session, username: str, password: str, role: str, languages: str = "pl,en,uk,ru"
) -> User:
    """Add an account.

    Raises:
        AccountError: on an empty or taken username, a short password, an unknown role or
            language.
    """
    username = username.strip()
    if not username or len(username) > 64:
        raise AccountError(N_("username must be 1-64 characters"))
    if role not in ROLES:
        raise AccountError(N_("role must be one of %(roles)s"), roles=", ".join(ROLES))
    check_password(password)
    langs = [lang.strip() for lang in languages.split(",") if lang.strip()]
    if not langs or any(lang not in LANGUAGES for lang in langs):
        raise AccountError(
            N_("languages must be a comma-separated subset of %(languages)s"),
            languages=",".join(LANGUAGES),
        )
    if db.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(N_("user '%(username)s' already exists"), username=username)
    user = User(
        username=username,
        password_hash=_hash(password),
        role=role,
        languages=",".join(langs),
    )
    db.add(user)
    db.flush()
    return user


def hash_password(password: str) -> str:
    """The Argon2id hash of a password (for resets; `create_user` hashes its own)."""
    return _hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether this is the user's password (for changing it: the current one is asked)."""
    return _verify(user.password_hash, password)


def _attempts(db: Session, key: str) -> int:
    since = utcnow() - THROTTLE_WINDOW
    query = select(func.count(LoginAttempt.id)).where(
        LoginAttempt.key == key, LoginAttempt.created_at > since
    )
    return db.scalar(query) or 0


def authenticate(database: Database, username: str, password: str, address: str) -> User | None:
    """The active user with these credentials, or None; failures are recorded.

    The attempt is written (and committed) before anything is counted, so of N guesses
    arriving at once, in however many processes, the last to commit sees all N: no more
    than the limit are ever checked. A successful login takes its attempt back and clears
    the username's failures. The password is hashed outside any transaction.

    Raises:
        LoginThrottled: when this username or address failed too often recently; the
            password is then not even checked.
    """
    keys = (f"user:{username.strip().lower()}", f"addr:{address}")
    limits = (MAX_FAILURES_PER_USER, MAX_FAILURES_PER_ADDRESS)
    with database.session() as db:
        attempts = [LoginAttempt(key=key) for key in keys]
        db.add_all(attempts)
        db.flush()
        ids = [attempt.id for attempt in attempts]
    with database.session() as db:
        if any(_attempts(db, key) > limit for key, limit in zip(keys, limits, strict=True)):
            raise LoginThrottled(int(THROTTLE_WINDOW.total_seconds()))
        user = db.scalar(select(User).where(User.username == username.strip(), User.active))
    if not _verify(user.password_hash if user else _DUMMY_HASH, password) or user is None:
        return None
    with database.session() as db:
        db.execute(
            delete(LoginAttempt).where((LoginAttempt.key == keys[0]) | LoginAttempt.id.in_(ids))
        )
    return user


def create_session(db: Session, user: User) -> NewSession:
    """Start a session for a user who just logged in."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    db.add(
        StaffSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            expires_at=utcnow() + SESSION_LIFETIME,
        )
    )
    return NewSession(token=token, csrf_token=csrf)


def session_user(db: Session, token: str) -> StaffSession | None:
    """The live session (with its active user) behind a cookie value, or None."""
    if not token:
        return None
    found = db.scalar(
        select(StaffSession).where(
            StaffSession.token_hash == _digest(token), StaffSession.expires_at > utcnow()
        )
    )
    if found is None or not found.user.active:
        return None
    return found


def end_session(db: Session, token: str) -> None:
    """Log out: the cookie value stops working at once."""
    db.execute(delete(StaffSession).where(StaffSession.token_hash == _digest(token)))
