"""Tables of the staff console: the history of knowledge-base edits, translation-review flags
and handled inbox items. The entries themselves live in `data/kb/` (see bot/curation/store.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, utcnow


class KbRevision(Base):
    """One change to one entry: who, when, what it was before and after (JSON)."""

    __tablename__ = "kb_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    username: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    """create | edit | retire | revert | import | phrasing | confirm"""
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The entry as JSON before the change; null when it was created."""
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The entry as JSON after the change; null when it was retired."""


class TranslationFlag(Base):
    """A language of an entry that needs translation review since its Polish answer changed."""

    __tablename__ = "kb_translation_flag"
    __table_args__ = (UniqueConstraint("entry_id", "lang"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(128), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InboxHandled(Base):
    """An inbox message a curator dealt with (dismissed, or added as a phrasing)."""

    __tablename__ = "inbox_handled"
    __table_args__ = (UniqueConstraint("source", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    """question | feedback | handoff: the table the message comes from."""
    item_id: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    username: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
