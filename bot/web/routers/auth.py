"""Logging staff in and out, and changing one's own password."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.auth import AccountError, LoginThrottled, authenticate, create_session, end_session
from bot.auth.manage import change_own_password
from bot.web.deps import DatabaseDep, DbDep, GettextDep, SettingsDep
from bot.web.security import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ClientAddressDep,
    HashingSlot,
    SessionDep,
    check_csrf,
)
from bot.web.staff.common import render
from bot.web.templating import templates

router = APIRouter(tags=["auth"])

HOME = {"consultant": "/consultant/"}
"""Where each role lands after login; everyone else lands in the staff console."""


def _safe_next(next_path: str) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path
    return ""


def _login_page(
    request: Request, settings: SettingsDep, next_path: str, error: str, code: int
) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "staff/login.html",
        {"next": _safe_next(next_path), "error": error, "csrf_token": token},
        status_code=code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=settings.cookie_secure
    )
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, settings: SettingsDep, next: str = "") -> HTMLResponse:
    """The login page."""
    return _login_page(request, settings, next, "", status.HTTP_200_OK)


@router.post("/login", response_class=HTMLResponse, dependencies=[HashingSlot])
def login(
    request: Request,
    database: DatabaseDep,
    db: DbDep,
    settings: SettingsDep,
    address: ClientAddressDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials and start a session."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected.encode(), csrf_token.encode()):
        return _login_page(request, settings, next, "csrf", status.HTTP_403_FORBIDDEN)
    try:
        user = authenticate(database, username, password, address)
    except LoginThrottled:
        return _login_page(request, settings, next, "throttled", status.HTTP_429_TOO_MANY_REQUESTS)
    if user is None:
        return _login_page(request, settings, next, "invalid", status.HTTP_401_UNAUTHORIZED)
    new = create_session(db, user)
    target = _safe_next(next) or HOME.get(user.role, "/staff/")
    response = RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)
    response.set_cookie(
        SESSION_COOKIE,
        new.token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=12 * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, secure=settings.cookie_secure, httponly=True)
    return response


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request, db: DbDep, settings: SettingsDep) -> Response:
    """End the session (CSRF-checked, so another site cannot log staff out)."""
    end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE, secure=settings.cookie_secure, httponly=True)
    return response


@router.get("/account/password", response_class=HTMLResponse)
def password_form(request: Request, session: SessionDep, done: bool = False) -> HTMLResponse:
    """The form to change one's own password."""
    return render(request, "staff/password.html", {"error": "", "done": done})


@router.post("/account/password", response_class=HTMLResponse, dependencies=[HashingSlot])
def change_password(
    request: Request,
    db: DbDep,
    session: SessionDep,
    _csrf: Annotated[None, Depends(check_csrf)],
    current: Annotated[str, Form(max_length=256)],
    new: Annotated[str, Form(max_length=256)],
    _: GettextDep,
) -> Response:
    """Replace one's own password; the account's other sessions end."""
    try:
        change_own_password(db, session, current, new)
    except AccountError as exc:
        page = {"error": exc.translated(_), "done": False}
        return render(request, "staff/password.html", page, status.HTTP_422_UNPROCESSABLE_CONTENT)
    return RedirectResponse("/account/password?done=true", status.HTTP_303_SEE_OTHER)
