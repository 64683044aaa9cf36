"""The web app's database: SQLite by default, PostgreSQL by URL."""

from bot.db.curation import InboxHandled, KbRevision, TranslationFlag
from bot.db.engine import Database
from bot.db.finder import FinderEvent
from bot.db.models import (
    Base,
    ConsultantPresence,
    Feedback,
    Handoff,
    HandoffMessage,
    LoginAttempt,
    QuestionLog,
    StaffSession,
    User,
)

__all__ = [
    "Base",
    "ConsultantPresence",
    "Database",
    "Feedback",
    "FinderEvent",
    "Handoff",
    "HandoffMessage",
    "InboxHandled",
    "KbRevision",
    "LoginAttempt",
    "QuestionLog",
    "StaffSession",
    "TranslationFlag",
    "User",
]
