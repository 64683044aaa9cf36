"""Logging staff in and out."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.auth import LoginThrottled, authenticate, create_session, end_session
from bot.web.deps import DbDep, SettingsDep
from bot.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, SessionDep, check_csrf
from bot.web.templating import templates

router = APIRouter(tags=["auth"])

HOME = {"consultant": "/consultant/"}
"""Where each role lands after login; everyone else lands in the staff console."""


def _safe_next(next_path: str) -> str:
    # Only local paths: an open redirect would let a phishing link borrow our login page.
    if next_path.startswith("/") and not next_path.startswith("//") and "\\" not in next_path:
        return next_path
    return ""


def _login_page(request: Request, next_path: str, error: str, code: int) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = templates.TemplateResponse(
        request,
        "staff/login.html",
        {"next": _safe_next(next_path), "error": error, "csrf_token": token},
        status_code=code,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_form(request: Request, next: str = "") -> HTMLResponse:
    """The login page."""
    return _login_page(request, next, "", status.HTTP_200_OK)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials and start a session."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(request, next, "csrf", status.HTTP_403_FORBIDDEN)
    address = request.client.host if request.client else "unknown"
    try:
        user = authenticate(db, username, password, address)
    except LoginThrottled:
        return _login_page(request, next, "throttled", status.HTTP_429_TOO_MANY_REQUESTS)
    if user is None:
        return _login_page(request, next, "invalid", status.HTTP_401_UNAUTHORIZED)
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
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, db: DbDep, session: SessionDep) -> Response:
    """End the session (CSRF-checked, so another site cannot log staff out)."""
    await check_csrf(request, session)
    end_session(db, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    response.delete_cookie(SESSION_COOKIE)
    return response
