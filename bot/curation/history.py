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
        return self.revision.action not in NOT_REVERTIBLE and not self.revision.action.startswith(
            "confirm"
        )


NOT_REVERTIBLE = frozenset({"intent"})
"""Intent examples live in the NLU files; a wrong one is removed there (and reviewed in git)."""


def view(revision: KbRevision) -> RevisionView:
    if revision.action == "intent":  # `after` holds the example added, not an entry
        return RevisionView(revision, ["example"], [DiffLine("+", revision.after or "")])
    before, after = from_json(revision.before), from_json(revision.after)
    return RevisionView(revision, changed_fields(before, after), entry_diff(before, after))


def revisions(db: Session, entry_id: str | None = None, limit: int = 100) -> list[RevisionView]:
    """Newest first."""
    query = select(KbRevision).order_by(KbRevision.id.desc()).limit(limit)
    if entry_id is not None:
        query = query.where(KbRevision.entry_id == entry_id)
    return [view(r) for r in db.scalars(query)]
