"""Changes to existing accounts: admins deactivate, reset passwords, set languages; users
change their own password.

Each change that takes rights away also ends the account's sessions, so it applies at once.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.auth.accounts import (
    LANGUAGES,
    AccountError,
    check_password,
    hash_password,
    verify_password,
)
from bot.db.models import StaffSession, User
from bot.translatable import N_


def list_users(db: Session) -> list[User]:
    return list(db.scalars(select(User).order_by(User.role, User.username)))


def _user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None:
        raise AccountError(N_("no such account"))
    return user


def _end_sessions(db: Session, user: User) -> None:
    db.execute(delete(StaffSession).where(StaffSession.user_id == user.id))


def set_active(db: Session, acting: User, user_id: int, active: bool) -> User:
    """Deactivate (logging the account out everywhere) or reactivate an account.

    Raises:
        AccountError: an admin cannot deactivate their own account (no lock-out by mistake).
    """
    user = _user(db, user_id)
    if user.id == acting.id and not active:
        raise AccountError(N_("you cannot deactivate your own account"))
    user.active = active
    if not active:
        _end_sessions(db, user)
    return user


def reset_password(db: Session, user_id: int, password: str) -> User:
    """Set a new password and end the account's sessions."""
    check_password(password)
    user = _user(db, user_id)
    user.password_hash = hash_password(password)
    _end_sessions(db, user)
    return user


def change_own_password(db: Session, session: StaffSession, current: str, new: str) -> None:
    """A user replaces their own password; their other sessions end, this one stays.

    Raises:
        AccountError: when the current password is wrong or the new one breaks the policy.
    """
    user = _user(db, session.user_id)
    if not verify_password(user, current):
        raise AccountError(N_("the current password is wrong"))
    check_password(new)
    user.password_hash = hash_password(new)
    db.execute(
        delete(StaffSession).where(StaffSession.user_id == user.id, StaffSession.id != session.id)
    )


def set_languages(db: Session, user_id: int, languages: list[str]) -> User:
    """The languages a consultant works in."""
    if not languages or any(lang not in LANGUAGES for lang in languages):
        raise AccountError(
            N_("choose at least one of %(languages)s"), languages=", ".join(LANGUAGES)
        )
    user = _user(db, user_id)
    user.languages = ",".join(lang for lang in LANGUAGES if lang in languages)
    return user


DISPLAY_NAME_CHARS = 64


def set_display_name(db: Session, user_id: int, name: str) -> User:
    """The name users see on a consultant's messages; blank shows none.

    Raises:
        AccountError: when the name is too long or is not plain one-line text.
    """
    name = " ".join(name.split())
    if len(name) > DISPLAY_NAME_CHARS or not name.isprintable():
        raise AccountError(
            N_("a display name is one line of at most %(chars)s characters"),
            chars=DISPLAY_NAME_CHARS,
        )
    user = _user(db, user_id)
    user.display_name = name
    return user
