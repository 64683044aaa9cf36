"""Tables: what users asked and how they rated the answers; staff accounts; handoffs."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored datetime, time-zone aware: SQLite gives naive ones back, written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class QuestionLog(Base):
    """A question the knowledge-base action searched for, with what search decided."""

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    sender_id: Mapped[str] = mapped_column(String(128), default="", index=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16), index=True)
    kb_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)


class Feedback(Base):
    """A user's "did this help?" answer for one knowledge-base entry."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    sender_id: Mapped[str] = mapped_column(String(128), default="")
    kb_id: Mapped[str] = mapped_column(String(128), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text, default="")
    helpful: Mapped[bool] = mapped_column(Boolean)


class User(Base):
    """A staff account: an admin, a curator or a consultant."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    languages: Mapped[str] = mapped_column(String(32), default="pl,en,uk,ru")
    """The languages a consultant works in, comma-separated."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    """The language of the consoles for this user (`pl`, `en`); None follows the browser."""
    display_name: Mapped[str] = mapped_column(String(64), default="", server_default="")
    """The name users see on this consultant's messages ("Anna"); empty shows none."""

    @property
    def language_list(self) -> list[str]:
        return [lang for lang in self.languages.split(",") if lang]


class StaffSession(Base):
    """A logged-in browser; only a hash of its cookie is stored."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(Base):
    """A failed login, counted per username and per client address for throttling."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )


class Handoff(Base):
    """A conversation handed to the consultants: queued, active, or a ticket.

    States: `queued` (waiting for a consultant), `active` (claimed), `ticket_draft` (nobody
    can take it; the user is leaving a message and an e-mail address), `ticket` (left, waiting
    for an answer by e-mail), `closed`.
    """

    __tablename__ = "handoff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(128), index=True)
    channel: Mapped[str] = mapped_column(String(32), default="")
    lang: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text, default="")
    """The message that led to the handoff."""
    state: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(32), default="")
    """Why a ticket: `outside_hours`, `nobody_online` or `not_claimed`."""
    consultant_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True
    )
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    resolution: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    synced_until: Mapped[float] = mapped_column(Float, default=0.0)
    """Timestamp of the last Rasa tracker event copied into the transcript."""

    consultant: Mapped[User | None] = relationship(lazy="joined")


class HandoffMessage(Base):
    """One line of a handoff's transcript; consultant lines and notices are also an outbox.

    `author` is `user`, `bot`, `consultant` or `notice` (a response the bot sends on the
    consultants' behalf, e.g. "a consultant has joined"; `text` holds the response name).
    """

    __tablename__ = "handoff_message"
    __table_args__ = (UniqueConstraint("handoff_id", "source_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    handoff_id: Mapped[int] = mapped_column(ForeignKey("handoff.id", ondelete="CASCADE"))
    author: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    kb_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    consultant_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL"), nullable=True
    )
    source_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """For lines copied from Rasa: the event's timestamp, so a line is copied only once."""
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )
    delivered: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    """False while a consultant line or notice still has to reach the user."""


class ConsultantPresence(Base):
    """Whether a consultant is taking chats; refreshed by the open console."""

    __tablename__ = "consultant_presence"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
