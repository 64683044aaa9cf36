"""What the permit finder did, for the staff dashboard: starts, questions asked, results."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.models import Base, utcnow


class FinderEvent(Base):
    """One step of one conversation through the finder (no message text is kept)."""

    __tablename__ = "finder_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    """started | asked | finished"""
    question: Mapped[str] = mapped_column(String(64), default="")
    """The question asked (kind `asked`)."""
    result: Mapped[str] = mapped_column(String(512), default="")
    """The entry ids of the result, comma-separated (kind `finished`)."""
