"""The admin's page for staff accounts: create, deactivate, reset passwords, languages, the
name users see on a consultant's messages."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.auth import ROLES, AccountError, create_user
from bot.auth.manage import (
    DISPLAY_NAME_CHARS,
    list_users,
    reset_password,
    set_active,
    set_display_name,
    set_languages,
)
from bot.kb.model import LANGUAGES
from bot.web.deps import DbDep, GettextDep
from bot.web.security import AdminDep, HashingSlot
from bot.web.staff.common import render

router = APIRouter(prefix="/users", tags=["staff"])


def _back(message: str = "", error: str = "") -> Response:
    query = urlencode({k: v for k, v in {"message": message, "error": error}.items() if v})
    return RedirectResponse(f"/staff/users?{query}", status.HTTP_303_SEE_OTHER)


@router.get("", response_class=HTMLResponse)
def users_page(
    request: Request, admin: AdminDep, db: DbDep, message: str = "", error: str = ""
) -> HTMLResponse:
    """Every account with its role, languages and state."""
    return render(
        request,
        "staff/users.html",
        {
            "users": list_users(db),
            "roles": ROLES,
            "languages": LANGUAGES,
            "message": message,
            "error": error,
            "me": admin,
            "display_name_chars": DISPLAY_NAME_CHARS,
        },
    )


@router.post("", dependencies=[HashingSlot])
def create(
    admin: AdminDep,
    db: DbDep,
    _: GettextDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
    role: Annotated[str, Form(max_length=16)],
    languages: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create an account (Argon2id-hashed password)."""
    try:
        create_user(db, username, password, role, ",".join(languages or LANGUAGES))
    except AccountError as exc:
        return _back(error=exc.translated(_))
    return _back(message=_("Account %(username)s created.") % {"username": username})


@router.post("/{user_id}/active")
def activate(
    user_id: int, admin: AdminDep, db: DbDep, _: GettextDep, active: Annotated[bool, Form()]
) -> Response:
    """Deactivate or reactivate an account."""
    try:
        user = set_active(db, admin, user_id, active)
    except AccountError as exc:
        return _back(error=exc.translated(_))
    done = _("%(username)s is now active.") if active else _("%(username)s is now deactivated.")
    return _back(message=done % {"username": user.username})


@router.post("/{user_id}/password", dependencies=[HashingSlot])
def password(
    user_id: int,
    admin: AdminDep,
    db: DbDep,
    _: GettextDep,
    password: Annotated[str, Form(max_length=256)],
) -> Response:
    """Set a new password (the account is logged out everywhere)."""
    try:
        user = reset_password(db, user_id, password)
    except AccountError as exc:
        return _back(error=exc.translated(_))
    return _back(message=_("Password of %(username)s reset.") % {"username": user.username})


@router.post("/{user_id}/languages")
def languages(
    user_id: int,
    admin: AdminDep,
    db: DbDep,
    _: GettextDep,
    languages: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Set the languages a consultant works in."""
    try:
        user = set_languages(db, user_id, languages or [])
    except AccountError as exc:
        return _back(error=exc.translated(_))
    done = _("Languages of %(username)s: %(languages)s.")
    return _back(message=done % {"username": user.username, "languages": user.languages})


@router.post("/{user_id}/display-name")
def display_name(
    user_id: int,
    admin: AdminDep,
    db: DbDep,
    _: GettextDep,
    display_name: Annotated[str, Form(max_length=256)] = "",
) -> Response:
    """Set the name users see on a consultant's messages."""
    try:
        user = set_display_name(db, user_id, display_name)
    except AccountError as exc:
        return _back(error=exc.translated(_))
    done = _("Display name of %(username)s: %(name)s.")
    return _back(message=done % {"username": user.username, "name": user.display_name or "-"})
