"""Staff accounts: roles, password hashing, login sessions and their throttling."""

from bot.auth.accounts import (
    ROLES,
    AccountError,
    LoginThrottled,
    authenticate,
    create_session,
    create_user,
    end_session,
    session_user,
)

__all__ = [
    "ROLES",
    "AccountError",
    "LoginThrottled",
    "authenticate",
    "create_session",
    "create_user",
    "end_session",
    "session_user",
]
