"""Reading the handoff table of the consultant console (issue #6) for the inbox and dashboard.

The table `handoff` (columns `id`, `sender_id`, `channel`, `lang`, `question`, `state`,
`created_at`, `claimed_at`, `closed_at`) belongs to the consultant console; these are the only
queries the curation code makes of it, in plain SQL so that this module does not depend on
that code. Until the table exists both return nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, inspect, text
from sqlalchemy.orm import Session

HANDOFF_TABLE = "handoff"
_TIME = DateTime(timezone=True)
"""Typed result columns: SQLite hands plain SQL timestamps back as strings otherwise."""


def _has_table(db: Session) -> bool:
    return inspect(db.get_bind()).has_table(HANDOFF_TABLE)


def handoff_questions(db: Session, since: datetime, limit: int) -> list[dict[str, Any]]:
    """The messages that led to a handoff since `since`, newest first."""
    if not _has_table(db):
        return []
    rows = db.execute(
        text(
            "SELECT id, lang, question, created_at FROM handoff "
            "WHERE created_at >= :since AND question <> '' ORDER BY id DESC LIMIT :limit"
        ).columns(created_at=_TIME),
        {"since": since, "limit": limit},
    )
    return [dict(row._mapping) for row in rows]


def handoff_question(db: Session, handoff_id: int) -> dict[str, Any] | None:
    """One handoff's question and language."""
    if not _has_table(db):
        return None
    row = db.execute(
        text("SELECT id, lang, question FROM handoff WHERE id = :id"), {"id": handoff_id}
    ).first()
    return dict(row._mapping) if row else None


def handoff_times(db: Session, since: datetime) -> list[dict[str, Any]]:
    """Every handoff since `since`: when it was queued, claimed (or null), its channel, lang."""
    if not _has_table(db):
        return []
    rows = db.execute(
        text(
            "SELECT created_at, claimed_at, channel, lang, state FROM handoff "
            "WHERE created_at >= :since ORDER BY created_at"
        ).columns(created_at=_TIME, claimed_at=_TIME),
        {"since": since},
    )
    return [dict(row._mapping) for row in rows]
