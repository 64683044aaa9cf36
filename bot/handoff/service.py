"""Handoff to consultants: the queue, claims, transcripts and tickets, on the database.

Every function takes the session of the caller's transaction. Claiming is a single
conditional UPDATE, so of two consultants claiming at once exactly one succeeds, on SQLite
and on PostgreSQL alike. Lines that must reach the user (consultant messages and notices) are
written undelivered and sent by the pump (`bot.handoff.pump`), so a Rasa server that is down
delays them but loses none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import metrics
from bot.db.models import ConsultantPresence, Handoff, HandoffMessage, User, as_utc, utcnow
from bot.handoff.hours import OfficeHours
from bot.handoff.states import OPEN_STATES, HandoffState
from bot.privacy import redact
from bot.translatable import N_, TranslatableError

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Notices: responses in domain.yml that the bot sends on the consultants' behalf.
NOTICE_CLAIMED = "utter_handoff_claimed"
NOTICE_RETURNED = "utter_handoff_returned"
NOTICE_RESOLVED = "utter_handoff_resolved"
NOTICE_TIMEOUT = "utter_handoff_timeout"


class HandoffError(TranslatableError):
    """A handoff operation that cannot be done; `code` names why for the HTTP edge."""

    def __init__(self, code: str, message: str, **params: object):
        super().__init__(message, **params)
        self.code = code


@dataclass(frozen=True)
class Opened:
    """The result of asking for a consultant."""

    handoff: Handoff
    position: int


def open_handoff_for(db: Session, sender_id: str) -> Handoff | None:
    """The sender's handoff that is still in progress, if any."""
    return db.scalar(
        select(Handoff)
        .where(Handoff.sender_id == sender_id, Handoff.state.in_(OPEN_STATES))
        .order_by(Handoff.id.desc())
        .limit(1)
    )


def consultants_online(db: Session, lang: str, now: datetime, presence_seconds: float) -> int:
    """Consultants who speak `lang`, marked available and seen within `presence_seconds`."""
    since = now - timedelta(seconds=presence_seconds)
    rows = db.scalars(
        select(User.languages)
        .join(ConsultantPresence, ConsultantPresence.user_id == User.id)
        .where(
            ConsultantPresence.available,
            ConsultantPresence.last_seen > since,
            User.active,
            User.role.in_(("consultant", "admin")),
        )
    )
    return sum(1 for languages in rows if lang in languages.split(","))


def queue_position(db: Session, handoff: Handoff) -> int:
    """1 for the next conversation to be claimed."""
    ahead = db.scalar(
        select(func.count(Handoff.id)).where(
            Handoff.state == HandoffState.QUEUED, Handoff.id < handoff.id
        )
    )
    return int(ahead or 0) + 1


def start(
    db: Session,
    *,
    sender_id: str,
    channel: str,
    lang: str,
    question: str,
    transcript: list[dict[str, Any]],
    hours: OfficeHours,
    presence_seconds: float,
    now: datetime | None = None,
) -> Opened:
    """Put a conversation in the queue, or open a ticket when nobody can take it.

    Asking again while a handoff is in progress returns that handoff.
    """
    now = now or utcnow()
    existing = open_handoff_for(db, sender_id)
    if existing is not None:
        return Opened(existing, queue_position(db, existing))
    if not hours.is_open(now):
        state, reason = HandoffState.TICKET_DRAFT, "outside_hours"
    elif consultants_online(db, lang, now, presence_seconds) == 0:
        state, reason = HandoffState.TICKET_DRAFT, "nobody_online"
    else:
        state, reason = HandoffState.QUEUED, ""
    handoff = Handoff(
        sender_id=sender_id,
        channel=channel,
        lang=lang,
        question=redact(question)[:2000],
        state=state,
        reason=reason,
        created_at=now,
    )
    db.add(handoff)
    db.flush()
    for line in transcript[-60:]:
        author = "user" if line.get("author") == "user" else "bot"
        db.add(
            HandoffMessage(
                handoff_id=handoff.id,
                author=author,
                text=redact(str(line.get("text") or ""))[:4000],
                kb_id=line.get("kb_id"),
                source_key=_key(line.get("ts")),
                created_at=_at(line.get("ts"), now),
            )
        )
    db.flush()
    metrics.handoff_event(state)
    return Opened(handoff, queue_position(db, handoff) if state == HandoffState.QUEUED else 0)


def _key(ts: Any) -> str | None:
    return f"rasa:{float(ts):.6f}" if isinstance(ts, int | float) else None


def _at(ts: Any, default: datetime) -> datetime:
    if isinstance(ts, int | float):
        return datetime.fromtimestamp(float(ts), tz=default.tzinfo)
    return default


def add_user_line(
    db: Session, handoff: Handoff, text: str, ts: float | None, now: datetime | None = None
) -> bool:
    """Copy a user's message into the transcript (once per Rasa event); True if new.

    In a ticket draft, an e-mail address in the message becomes the ticket's reply address.
    """
    now = now or utcnow()
    key = _key(ts)
    if key and db.scalar(
        select(HandoffMessage.id).where(
            HandoffMessage.handoff_id == handoff.id, HandoffMessage.source_key == key
        )
    ):
        return False
    try:
        with db.begin_nested():
            db.add(
                HandoffMessage(
                    handoff_id=handoff.id,
                    author="user",
                    text=redact(text)[:4000],
                    source_key=key,
                    # Never before the handoff began, so a ticket draft counts it.
                    created_at=max(_at(ts, now), as_utc(handoff.created_at)),
                )
            )
    except IntegrityError:  # the pump copied the same event at the same moment
        return False
    if handoff.state == HandoffState.TICKET_DRAFT and (found := EMAIL.search(text)):
        handoff.email = found.group(0)
    return True


def ticket_needs(db: Session, handoff: Handoff) -> str | None:
    """What a ticket draft still lacks: `message`, `email`, or None when it is complete.

    A message is anything the user wrote since the draft opened besides the address itself.
    """
    lines = db.scalars(
        select(HandoffMessage.text).where(
            HandoffMessage.handoff_id == handoff.id,
            HandoffMessage.author == "user",
            HandoffMessage.created_at >= handoff.created_at,
        )
    ).all()
    has_message = any(len(EMAIL.sub("", line).strip(" ,.;:-")) >= 3 for line in lines)
    if not has_message:
        return "message"
    if not handoff.email:
        return "email"
    return None


def submit_ticket_if_complete(db: Session, handoff: Handoff) -> str | None:
    """Turn a complete draft into a ticket; returns what is still missing, if anything."""
    missing = ticket_needs(db, handoff)
    if missing is None:
        handoff.state = HandoffState.TICKET
        metrics.handoff_event(HandoffState.TICKET)
    return missing


def notify(db: Session, handoff: Handoff, response: str) -> None:
    """Queue a notice (a domain.yml response) for the user."""
    db.add(HandoffMessage(handoff_id=handoff.id, author="notice", text=response, delivered=False))


def claim(db: Session, handoff_id: int, consultant: User, now: datetime | None = None) -> Handoff:
    """Take a queued conversation.

    Raises:
        HandoffError: `already_taken` when another consultant was first (or it is no longer
            queued), `not_found` when there is no such handoff.
    """
    now = now or utcnow()
    result = db.execute(
        update(Handoff)
        .where(Handoff.id == handoff_id, Handoff.state == HandoffState.QUEUED)
        .values(state=HandoffState.ACTIVE, consultant_id=consultant.id, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    handoff = db.get(Handoff, handoff_id, populate_existing=True)
    if handoff is None:
        raise HandoffError("not_found", N_("no such conversation"))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        if handoff.consultant is None:
            raise HandoffError("already_taken", N_("already taken by someone else"))
        who = handoff.consultant.username
        raise HandoffError("already_taken", N_("already taken by %(who)s"), who=who)
    notify(db, handoff, NOTICE_CLAIMED)
    metrics.handoff_event("claimed", waited_seconds(handoff, now))
    return handoff


def _owned(db: Session, handoff_id: int, consultant: User) -> Handoff:
    handoff = db.get(Handoff, handoff_id)
    if handoff is None:
        raise HandoffError("not_found", N_("no such conversation"))
    if handoff.state != HandoffState.ACTIVE or handoff.consultant_id != consultant.id:
        raise HandoffError("not_yours", N_("this conversation is not yours (or no longer open)"))
    return handoff


def reply(db: Session, handoff_id: int, consultant: User, text: str) -> HandoffMessage:
    """A consultant's message to the user.

    Raises:
        HandoffError: `empty` for a blank message, `not_yours` unless the consultant holds
            the conversation.
    """
    text = text.strip()
    if not text:
        raise HandoffError("empty", N_("the message is empty"))
    handoff = _owned(db, handoff_id, consultant)
    line = HandoffMessage(
        handoff_id=handoff.id,
        author="consultant",
        text=text[:4000],
        consultant_id=consultant.id,
        delivered=False,
    )
    db.add(line)
    db.flush()
    return line


def close(
    db: Session, handoff: Handoff, resolution: str, notice: str | None, now: datetime | None = None
) -> None:
    """End a handoff; the user gets `notice`, if any, and the bot answers again."""
    handoff.state = HandoffState.CLOSED
    handoff.resolution = resolution
    handoff.closed_at = now or utcnow()
    if notice:
        notify(db, handoff, notice)


def hand_back(db: Session, handoff_id: int, consultant: User, resolved: bool) -> Handoff:
    """The consultant returns the conversation to the bot, or marks it resolved."""
    handoff = _owned(db, handoff_id, consultant)
    if resolved:
        close(db, handoff, "resolved", NOTICE_RESOLVED)
    else:
        close(db, handoff, "handed_back", NOTICE_RETURNED)
    return handoff


def expire_unclaimed(db: Session, timeout_seconds: float, now: datetime | None = None) -> int:
    """Queued conversations nobody claimed in time become ticket drafts; returns how many."""
    now = now or utcnow()
    limit = now - timedelta(seconds=timeout_seconds)
    stale = db.scalars(
        select(Handoff).where(Handoff.state == HandoffState.QUEUED, Handoff.created_at < limit)
    ).all()
    for handoff in stale:
        handoff.state = HandoffState.TICKET_DRAFT
        handoff.reason = "not_claimed"
        notify(db, handoff, NOTICE_TIMEOUT)
        metrics.handoff_event(HandoffState.TICKET_DRAFT)
    return len(stale)


def set_presence(
    db: Session, consultant: User, available: bool, now: datetime | None = None
) -> bool:
    """The consultant says they are available for new chats, or away."""
    presence = db.get(ConsultantPresence, consultant.id)
    if presence is None:
        presence = ConsultantPresence(user_id=consultant.id)
        db.add(presence)
    presence.available = available
    presence.last_seen = now or utcnow()
    return available


def keep_presence(
    db: Session, consultant: User, presence_seconds: float, now: datetime | None = None
) -> bool:
    """The console polled: whether the consultant is online, which the poll keeps them.

    Only a consultant still online stays so: reading the console never brings one online
    (a console left open overnight, or a look at the queue, must not draw conversations to
    somebody who is not there); saying so with `set_presence` does.
    """
    now = now or utcnow()
    presence = db.get(ConsultantPresence, consultant.id)
    if presence is None or not presence.available:
        return False
    if as_utc(presence.last_seen) <= now - timedelta(seconds=presence_seconds):
        return False
    presence.last_seen = now
    return True


def waited_seconds(handoff: Handoff, now: datetime | None = None) -> int:
    """How long the user has waited (until claimed, or until now)."""
    end = as_utc(handoff.claimed_at) if handoff.claimed_at else (now or utcnow())
    return max(0, int((end - as_utc(handoff.created_at)).total_seconds()))


def as_timestamp(moment: datetime) -> float:
    """POSIX seconds of a stored datetime (naive ones are UTC)."""
    return as_utc(moment).timestamp()
