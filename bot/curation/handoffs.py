"""What the curation pages read from the consultant console's `handoff` table.

Only these queries touch it, so a change to the handoff model is checked in one place: the
inbox lists the messages that led to a handoff, the dashboard counts handoffs per day and
how long users waited for a consultant.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import Handoff


def handoff_questions(db: Session, since: datetime, limit: int) -> list[dict[str, Any]]:
    """The messages that led to a handoff since `since`, newest first."""
    rows = db.execute(
        select(Handoff.id, Handoff.lang, Handoff.question, Handoff.created_at)
        .where(Handoff.created_at >= since, Handoff.question != "")
        .order_by(Handoff.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in rows]


def handoff_question(db: Session, handoff_id: int) -> dict[str, Any] | None:
    """One handoff's question and language."""
    handoff = db.get(Handoff, handoff_id)
    if handoff is None:
        return None
    return {"id": handoff.id, "lang": handoff.lang, "question": handoff.question}


def handoff_times(db: Session, since: datetime) -> list[dict[str, Any]]:
    """Every handoff since `since`: when it was queued, claimed (or null), channel, lang."""
    rows = db.execute(
        select(Handoff.created_at, Handoff.claimed_at, Handoff.channel, Handoff.lang, Handoff.state)
        .where(Handoff.created_at >= since)
        .order_by(Handoff.created_at)
    )
    return [dict(row._mapping) for row in rows]
