"""Recording the finder's steps and summarising them for the staff dashboard."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.finder import FinderEvent


@dataclass
class FinderUsage:
    started: int = 0
    finished: int = 0
    abandoned_at: Counter[str] = field(default_factory=Counter)
    """Unfinished runs by the last question they were asked."""
    results: Counter[str] = field(default_factory=Counter)
    """Finished runs by their entry ids (comma-separated)."""


def record(
    db: Session,
    sender_id: str,
    channel: str,
    lang: str,
    kind: str,
    question: str = "",
    result: tuple[str, ...] = (),
) -> None:
    db.add(
        FinderEvent(
            sender_id=sender_id,
            channel=channel,
            lang=lang,
            kind=kind,
            question=question,
            result=",".join(result),
        )
    )


def summarise(db: Session, days: int = 30, now: datetime | None = None) -> FinderUsage:
    """A run is a `started` event and what follows it in the same conversation; one without
    `finished` before the next start (or until now) was abandoned at its last question."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    events = db.scalars(
        select(FinderEvent)
        .where(FinderEvent.created_at >= since)
        .order_by(FinderEvent.sender_id, FinderEvent.created_at, FinderEvent.id)
    ).all()
    usage = FinderUsage()
    runs: dict[str, list[FinderEvent]] = {}
    closed: list[list[FinderEvent]] = []
    for event in events:
        if event.kind == "started":
            if event.sender_id in runs:
                closed.append(runs[event.sender_id])
            runs[event.sender_id] = [event]
        elif event.sender_id in runs:
            runs[event.sender_id].append(event)
    closed.extend(runs.values())
    for run in closed:
        usage.started += 1
        done = [e for e in run if e.kind == "finished"]
        if done:
            usage.finished += 1
            usage.results[done[-1].result] += 1
            continue
        asked = [e.question for e in run if e.kind == "asked"]
        usage.abandoned_at[asked[-1] if asked else "-"] += 1
    return usage
