"""Login throttling: atomic counting, and `X-Forwarded-For` believed only from a proxy.

The attacks: 12 simultaneous guesses were all checked (each counted the failures before any
was recorded), and a client could pick its throttling key by sending `X-Forwarded-For`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from bot.auth.accounts import MAX_FAILURES_PER_ADDRESS, MAX_FAILURES_PER_USER
from bot.search.service import SearchService
from bot.web.app import create_app
from bot.web.security import LOGIN_CSRF_COOKIE
from tests.bot.web.conftest import csrf_of, login, staff_app  # noqa: F401 - fixtures
from tests.fakes import FakeEncoder

PARALLEL_GUESSES = 12


def _attempt(client: TestClient, username: str, forwarded: str = "") -> int:
    """One wrong guess with its own login form; the HTTP status."""
    page = client.get("/login")
    headers = {"cookie": f"{LOGIN_CSRF_COOKIE}={page.cookies[LOGIN_CSRF_COOKIE]}"}
    if forwarded:
        headers["x-forwarded-for"] = forwarded
    data = {"username": username, "password": "wrong password!", "csrf_token": csrf_of(page.text)}
    return client.post("/login", data=data, headers=headers).status_code


def test_simultaneous_guesses_are_counted_before_any_is_checked(staff_app):  # noqa: F811
    with ThreadPoolExecutor(PARALLEL_GUESSES) as pool:
        statuses = list(pool.map(lambda _: _attempt(staff_app, "curator"), range(12)))
    assert statuses.count(401) <= MAX_FAILURES_PER_USER, statuses
    assert set(statuses) == {401, 429}


@pytest.fixture
def behind_proxy(settings):
    """The app behind a reverse proxy at 127.0.0.1 that is listed in FAQ_TRUSTED_PROXIES."""
    settings = settings.model_copy(update={"trusted_proxies": "127.0.0.1, ::1"})
    app = create_app(settings, SearchService(settings, encoder=FakeEncoder()))
    with TestClient(app, client=("127.0.0.1", 40000)) as client:
        yield client


def test_a_trusted_proxy_s_forwarded_address_is_the_throttling_key(behind_proxy):
    for i in range(MAX_FAILURES_PER_ADDRESS):
        assert _attempt(behind_proxy, f"nobody{i}", "203.0.113.5") == 401
    assert _attempt(behind_proxy, "nobody-more", "203.0.113.5") == 429
    # Another client behind the same proxy is not locked out by the first one,
    assert _attempt(behind_proxy, "someone", "203.0.113.6") == 401
    # and addresses the client itself prepends do not count.
    assert _attempt(behind_proxy, "someone-else", "198.51.100.1, 203.0.113.5") == 429


def test_a_direct_client_cannot_choose_its_address(settings):
    settings = settings.model_copy(update={"trusted_proxies": "127.0.0.1"})
    app = create_app(settings, SearchService(settings, encoder=FakeEncoder()))
    with TestClient(app, client=("198.51.100.7", 40000)) as client:
        for i in range(MAX_FAILURES_PER_ADDRESS):
            assert _attempt(client, f"nobody{i}", f"10.0.0.{i}") == 401
        assert _attempt(client, "nobody-more", "10.0.1.1") == 429
