"""Who is asking: the staff session behind a request, role checks and CSRF checks.

Pages answer a missing login with a redirect to the login page; JSON API routes (paths with
`/api/`) answer 401. Every state-changing request of a logged-in user must carry the
session's CSRF token, in the form field `csrf_token` or the `X-CSRF-Token` header.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from functools import lru_cache
from types import SimpleNamespace
from typing import Annotated, Any

import anyio
from fastapi import Depends, HTTPException, Request, status

from bot.auth import session_user
from bot.auth.accounts import HASHING_SLOTS
from bot.db.models import StaffSession, User
from bot.settings import comma_list
from bot.translatable import N_, TranslatableError
from bot.web.deps import DbDep, SettingsDep
from bot.web.i18n import asked_locale, gettext_for

SESSION_COOKIE = "faq_session"
LOGIN_CSRF_COOKIE = "faq_login_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK = frozenset({"127.0.0.1", "::1", "testclient"})


@lru_cache(maxsize=8)
def proxy_networks(setting: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item) for item in comma_list(setting))


def _trusted(host: str, proxies: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in proxy_networks(proxies))


async def client_address(request: Request, settings: SettingsDep) -> str:
    """The address of the client behind the request, for throttling.

    `X-Forwarded-For` counts only when the request comes from a proxy listed in
    `FAQ_TRUSTED_PROXIES`; then the client is the right-most address that is not itself a
    trusted proxy (everything left of it could have been written by the client).
    """
    host = request.client.host if request.client else "unknown"
    if not _trusted(host, settings.trusted_proxies):
        return host
    forwarded = [
        part.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for part in header.split(",")
        if part.strip()
    ]
    for hop in reversed(forwarded):
        if not _trusted(hop, settings.trusted_proxies):
            return hop
    return forwarded[0] if forwarded else host


ClientAddressDep = Annotated[str, Depends(client_address)]


def hashing_slots() -> anyio.Semaphore:
    """The app's hashing slots (made in its lifespan, on its event loop)."""
    return anyio.Semaphore(HASHING_SLOTS)


async def hashing_slot(request: Request) -> AsyncIterator[None]:
    """Held by a request that hashes passwords, for all of its work.

    A burst of logins waits here, on the event loop at no cost, instead of taking the worker
    threads and database connections everyone else needs.
    """
    async with request.app.state.hashing_slots:
        yield


HashingSlot = Depends(hashing_slot, scope="function")


def same_secret(sent: str, expected: str) -> bool:
    """Constant-time comparison that accepts any header value, ASCII or not."""
    return secrets.compare_digest(sent.encode("utf-8", "replace"), expected.encode("utf-8"))


class LoginRequired(Exception):
    """Raised by the dependencies below; turned into a redirect or a 401 at the edge."""

    def __init__(self, next_path: str, api: bool):
        super().__init__(next_path)
        self.next_path = next_path
        self.api = api


def detached(session: StaffSession) -> SimpleNamespace:
    """What an error page needs of a session (nav, CSRF token, language), as plain values: the
    request's database session is rolled back (and its objects expired) before an exception
    handler renders the page."""
    user = session.user
    return SimpleNamespace(
        csrf_token=session.csrf_token,
        user=SimpleNamespace(username=user.username, role=user.role, locale=user.locale),
    )


def restore_detached(request: Request) -> None:
    """Before an exception handler renders: the request's session as plain values (the live
    one is expired by the rollback), if it had one."""
    if hasattr(request.state, "staff_detached"):
        request.state.staff_session = request.state.staff_detached


class RoleRefused(TranslatableError):
    """A logged-in user's role does not allow this; a 403 page, or JSON for API calls."""

    def __init__(self, api: bool):
        super().__init__(N_("your role does not allow this"))
        self.api = api


def is_api(request: Request) -> bool:
    return "/api/" in request.url.path


def current_session(request: Request, db: DbDep) -> StaffSession:
    """The request's live session.

    Raises:
        LoginRequired: without a valid session cookie.
    """
    found = session_user(db, request.cookies.get(SESSION_COOKIE, ""))
    if found is None:
        raise LoginRequired(request.url.path, api=is_api(request))
    asked = asked_locale(request)
    if asked is not None:
        found.user.locale = asked  # remembered on the account, in every browser
    request.state.staff_session = found
    request.state.staff_detached = detached(found)  # for error pages (`restore_detached`)
    return found


SessionDep = Annotated[StaffSession, Depends(current_session)]


async def _form_token(request: Request) -> str:
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, session: SessionDep) -> None:
    """Refuse a state-changing request without the session's CSRF token.

    Raises:
        HTTPException: 403 when the token is missing or wrong.
    """
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token") or await _form_token(request)
    if not sent or not same_secret(sent, session.csrf_token):
        _ = gettext_for(request)
        raise HTTPException(status.HTTP_403_FORBIDDEN, _("missing or invalid CSRF token"))


def require_role(*roles: str) -> Callable[..., Coroutine[Any, Any, User]]:
    """A dependency admitting logged-in users of these roles (admins are always admitted).

    It also enforces CSRF on state-changing methods.
    """

    async def dependency(
        request: Request, session: SessionDep, _csrf: Annotated[None, Depends(check_csrf)]
    ) -> User:
        if session.user.role != "admin" and session.user.role not in roles:
            raise RoleRefused(is_api(request))
        return session.user

    return dependency


AdminDep = Annotated[User, Depends(require_role("admin"))]
CuratorDep = Annotated[User, Depends(require_role("curator"))]
ConsultantDep = Annotated[User, Depends(require_role("consultant"))]


def check_internal(request: Request, settings: SettingsDep) -> None:
    """Only the action server may use the internal API.

    With `FAQ_INTERNAL_TOKEN` set (as `make run` does) the request must carry it in
    `X-Internal-Token` (or as `Authorization: Bearer`, which Prometheus sends); without one,
    only loopback clients are admitted.

    Raises:
        HTTPException: 403 otherwise.
    """
    if settings.internal_token:
        sent = request.headers.get("x-internal-token", "")
        if not sent and request.headers.get("authorization", "").lower().startswith("bearer "):
            sent = request.headers["authorization"][len("bearer ") :].strip()
        if same_secret(sent, settings.internal_token):
            return
    elif request.client and request.client.host in LOOPBACK:
        return
    raise HTTPException(status.HTTP_403_FORBIDDEN, "internal API")


Internal = Depends(check_internal)
