"""Reading the history of changes: one entry's revisions, or the latest ones of all entries."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.curation.diff import DiffLine, changed_fields, entry_diff
from bot.curation.store import from_json
from bot.db.curation import KbRevision


@dataclass(frozen=True)
class RevisionView:
    revision: KbRevision
    fields: list[str]
    diff: list[DiffLine]

    @property
    def revertible(self) -> bool:
        return not self.revision.action.startswith("confirm")


def view(revision: KbRevision) -> RevisionView:
    before, after = from_json(revision.before), from_json(revision.after)
    return RevisionView(revision, changed_fields(before, after), entry_diff(before, after))


def revisions(db: Session, entry_id: str | None = None, limit: int = 100) -> list[RevisionView]:
    """Newest first."""
    query = select(KbRevision).order_by(KbRevision.id.desc()).limit(limit)
    if entry_id is not None:
        query = query.where(KbRevision.entry_id == entry_id)
    return [view(r) for r in db.scalars(query)]
