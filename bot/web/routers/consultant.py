"""The consultant console: the live queue, conversations, replies and tickets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request, status
from fastapi.responses import HTMLResponse
from sqlalchemy import select

from bot.db import Handoff, HandoffMessage, User
from bot.db.models import as_utc
from bot.handoff import service
from bot.handoff.mailer import MailError, send_mail
from bot.handoff.pump import HandoffPump, render_notice
from bot.handoff.states import TICKET_STATES, HandoffState
from bot.responses import variation_for
from bot.web.deps import DbDep, GettextDep, SearchDep, SettingsDep
from bot.web.handoff_deps import DomainDep, HoursDep, PumpDep
from bot.web.schemas import (
    MAX_TEXT,
    ConsoleState,
    ConsultantMe,
    ConversationOut,
    HandBackRequest,
    HandoffSummary,
    InsertableAnswer,
    Lang,
    PresenceOut,
    PresenceRequest,
    ReplyRequest,
    TranscriptEntry,
)
from bot.web.security import ConsultantDep, SessionDep
from bot.web.templating import templates

# The API routes are plain functions, run in the thread pool: a claim waiting for another
# one's row or database lock must not block the event loop, which that other request needs
# to finish and commit.
router = APIRouter(prefix="/consultant", tags=["consultant"])
T = TypeVar("T")

ERROR_STATUS = {
    "not_found": status.HTTP_404_NOT_FOUND,
    "already_taken": status.HTTP_409_CONFLICT,
    "not_yours": status.HTTP_409_CONFLICT,
    "empty": status.HTTP_422_UNPROCESSABLE_CONTENT,
}


def _apply(pump: HandoffPump, operation: Callable[[], T], _: Callable[[str], str]) -> T:
    """Run a queue operation, turning its refusals into HTTP errors (in the console's
    language); the pump sends news."""
    try:
        result = operation()
    except service.HandoffError as exc:
        code = ERROR_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        raise HTTPException(code, exc.translated(_)) from exc
    pump.wake()
    return result


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment else None


def _summary(handoff: Handoff) -> HandoffSummary:
    return HandoffSummary(
        id=handoff.id,
        state=HandoffState(handoff.state),
        reason=handoff.reason,
        lang=handoff.lang,
        channel=handoff.channel or "rest",
        question=handoff.question,
        waited=service.waited_seconds(handoff),
        created_at=_iso(handoff.created_at),
        consultant=handoff.consultant.username if handoff.consultant else None,
        email=handoff.email,
    )


def _line(line: HandoffMessage) -> TranscriptEntry:
    return TranscriptEntry(
        id=line.id,
        author=line.author,
        text=line.text,
        kb_id=line.kb_id,
        at=_iso(line.created_at),
        delivered=line.delivered,
    )


def may_read(user: User, handoff: Handoff, all_languages: bool = False) -> bool:
    """Whose transcripts a consultant may open: their own conversations, and those waiting
    for any consultant (queued or a ticket) in their languages, or in every language while
    their console shows all; admins may open every one."""
    if user.role == "admin" or handoff.consultant_id == user.id:
        return True
    waiting = handoff.state == HandoffState.QUEUED or handoff.state in TICKET_STATES
    return waiting and (all_languages or handoff.lang in user.language_list)


@router.get("/", response_class=HTMLResponse)
def console(request: Request, user: ConsultantDep, session: SessionDep) -> HTMLResponse:
    """The console page; its script polls `/consultant/api/state` every second."""
    return templates.TemplateResponse(
        request, "staff/consultant.html", {"session": session, "user": user}
    )


@router.get("/api/state", response_model=ConsoleState)
def state(
    user: ConsultantDep,
    db: DbDep,
    domain: DomainDep,
    hours: HoursDep,
    settings: SettingsDep,
    _: GettextDep,
    conversation: int | None = None,
    all_languages: bool = False,
) -> ConsoleState:
    """Queue, the consultant's conversations, tickets and one open transcript.

    The poll keeps an online consultant online; only `/api/presence` brings one online.
    """
    available = service.keep_presence(db, user, settings.consultant_presence_seconds)
    langs = user.language_list
    handoffs = db.scalars(
        select(Handoff)
        .where(Handoff.state.in_((HandoffState.QUEUED, HandoffState.ACTIVE, *TICKET_STATES)))
        .order_by(Handoff.created_at)
    ).all()
    queue = [
        _summary(h)
        for h in handoffs
        if h.state == HandoffState.QUEUED and (all_languages or h.lang in langs)
    ]
    mine = [
        _summary(h)
        for h in handoffs
        if h.state == HandoffState.ACTIVE and h.consultant_id == user.id
    ]
    tickets = [
        _summary(h)
        for h in handoffs
        if h.state in TICKET_STATES and may_read(user, h, all_languages)
    ]
    body = ConsoleState(
        me=ConsultantMe(username=user.username, languages=langs, available=available),
        queue=queue,
        mine=mine,
        tickets=tickets,
    )
    if conversation is not None:
        handoff = db.get(Handoff, conversation)
        # Somebody else's conversation answers as a missing one: ids are sequential.
        if handoff is None or not may_read(user, handoff, all_languages):
            raise HTTPException(status.HTTP_404_NOT_FOUND, _("no such conversation"))
        lines = db.scalars(
            select(HandoffMessage)
            .where(HandoffMessage.handoff_id == handoff.id)
            .order_by(HandoffMessage.created_at, HandoffMessage.id)
        ).all()
        shown = [_line(x) for x in lines]
        for line in shown:
            if line.author == "notice":  # stored as the response's name; show its text
                line.text = render_notice(domain, line.text, handoff.lang, hours)
        body.conversation = ConversationOut(**_summary(handoff).model_dump(), lines=shown)
    return body


@router.post("/api/presence", response_model=PresenceOut)
def presence(body: PresenceRequest, user: ConsultantDep, db: DbDep) -> PresenceOut:
    """Available for new chats, or away."""
    return PresenceOut(available=service.set_presence(db, user, body.available))


@router.post("/api/conversations/{handoff_id}/claim", response_model=HandoffSummary)
def claim(
    handoff_id: int, user: ConsultantDep, db: DbDep, pump: PumpDep, _: GettextDep
) -> HandoffSummary:
    """Take a queued conversation; 409 "already taken" when another consultant was first."""
    return _summary(_apply(pump, lambda: service.claim(db, handoff_id, user), _))


@router.post(
    "/api/conversations/{handoff_id}/messages",
    status_code=status.HTTP_201_CREATED,
    response_model=TranscriptEntry,
)
def reply(
    handoff_id: int,
    body: ReplyRequest,
    user: ConsultantDep,
    db: DbDep,
    pump: PumpDep,
    _: GettextDep,
) -> TranscriptEntry:
    """Send a message to the user (delivered by the pump through Rasa)."""
    return _line(_apply(pump, lambda: service.reply(db, handoff_id, user, body.text), _))


@router.post("/api/conversations/{handoff_id}/handback", response_model=HandoffSummary)
def hand_back(
    handoff_id: int,
    body: HandBackRequest,
    user: ConsultantDep,
    db: DbDep,
    pump: PumpDep,
    _: GettextDep,
) -> HandoffSummary:
    """Return the conversation to the bot, or mark it resolved; the user is told."""
    return _summary(_apply(pump, lambda: service.hand_back(db, handoff_id, user, body.resolved), _))


@router.get("/api/answers", response_model=list[InsertableAnswer])
def answers(
    q: Annotated[str, Query(max_length=MAX_TEXT)],
    lang: Lang,
    _user: ConsultantDep,
    search: SearchDep,
) -> list[InsertableAnswer]:
    """Knowledge-base answers for a search, in the conversation's language, to insert."""
    snapshot = search.snapshot
    result = snapshot.searcher.search(q)
    found = []
    for candidate in result.candidates[:5]:
        entry = snapshot.kb.get(candidate.id)
        if entry is not None:
            local = entry.text(lang)
            found.append(InsertableAnswer(id=entry.id, title=local.title, answer=local.answer))
    return found


def _ticket(db: DbDep, handoff_id: int, _: Callable[[str], str]) -> Handoff:
    handoff = db.get(Handoff, handoff_id)
    if handoff is None or handoff.state not in TICKET_STATES:
        raise HTTPException(status.HTTP_404_NOT_FOUND, _("no such open ticket"))
    return handoff


@router.post("/api/tickets/{handoff_id}/answer", response_model=HandoffSummary)
def answer_ticket(
    handoff_id: int,
    body: ReplyRequest,
    user: ConsultantDep,
    db: DbDep,
    settings: SettingsDep,
    domain: DomainDep,
    _: GettextDep,
) -> HandoffSummary:
    """Answer a ticket by e-mail and close it."""
    handoff = _ticket(db, handoff_id, _)
    if not handoff.email:
        raise HTTPException(status.HTTP_409_CONFLICT, _("the user left no e-mail address"))
    subject = str(variation_for(domain, "utter_ticket_mail_subject", handoff.lang)["text"])
    try:
        send_mail(settings, handoff.email, subject, body.text)
    except MailError as exc:
        raise HTTPException(status.HTTP_502_BAD_GATEWAY, exc.translated(_)) from exc
    db.add(
        HandoffMessage(
            handoff_id=handoff.id, author="consultant", text=body.text, consultant_id=user.id
        )
    )
    _close_ticket(db, handoff, user, "answered")
    return _summary(handoff)


@router.post("/api/tickets/{handoff_id}/close", response_model=HandoffSummary)
def close_ticket(handoff_id: int, user: ConsultantDep, db: DbDep, _: GettextDep) -> HandoffSummary:
    """Close a ticket without an answer (e.g. spam, or answered by phone)."""
    handoff = _ticket(db, handoff_id, _)
    _close_ticket(db, handoff, user, "closed_by_consultant")
    return _summary(handoff)


def _close_ticket(db: DbDep, handoff: Handoff, user: User, resolution: str) -> None:
    handoff.consultant_id = user.id
    # The user is not in a live chat any more; the answer went by e-mail.
    service.close(db, handoff, resolution, notice=None)
