"""The internal handoff API the action server calls: start, relay, end."""

from __future__ import annotations

from fastapi import APIRouter

from bot.handoff import service
from bot.handoff.states import HandoffState
from bot.responses import day_names
from bot.web.deps import DbDep, SettingsDep
from bot.web.handoff_deps import DomainDep, HoursDep
from bot.web.schemas import HandoffOut, HandoffRequest, RelayRequest
from bot.web.security import Internal

# Plain functions, run in the thread pool, so database waits never block the event loop.
router = APIRouter(prefix="/api/handoffs", tags=["handoffs"], dependencies=[Internal])


@router.post("", response_model=HandoffOut)
def start_handoff(
    body: HandoffRequest,
    db: DbDep,
    settings: SettingsDep,
    hours: HoursDep,
    domain: DomainDep,
) -> HandoffOut:
    """Queue the conversation, or open a ticket draft when no consultant can take it."""
    opened = service.start(
        db,
        sender_id=body.sender_id,
        channel=body.channel,
        lang=body.lang,
        question=body.question,
        transcript=[line.model_dump() for line in body.transcript],
        hours=hours,
        presence_seconds=settings.consultant_presence_seconds,
    )
    handoff = opened.handoff
    drafting = handoff.state == HandoffState.TICKET_DRAFT
    needs = service.ticket_needs(db, handoff) if drafting else None
    return HandoffOut(
        open=True,
        state=handoff.state,
        reason=handoff.reason,
        position=opened.position,
        hours=hours.describe(day_names(domain, body.lang)),
        needs=needs,
    )


@router.post("/{sender_id}/messages", response_model=HandoffOut)
def relay(sender_id: str, body: RelayRequest, db: DbDep) -> HandoffOut:
    """A user's message during a handoff: into the transcript (the bot stays silent)."""
    handoff = service.open_handoff_for(db, sender_id)
    if handoff is None:
        return HandoffOut(open=False)
    service.add_user_line(db, handoff, body.text, body.ts)
    needs = None
    if handoff.state == HandoffState.TICKET_DRAFT:
        needs = service.submit_ticket_if_complete(db, handoff)
    return HandoffOut(open=True, state=handoff.state, reason=handoff.reason, needs=needs)


@router.post("/{sender_id}/end", response_model=HandoffOut)
def end(sender_id: str, db: DbDep) -> HandoffOut:
    """The user no longer needs a consultant."""
    handoff = service.open_handoff_for(db, sender_id)
    if handoff is None:
        return HandoffOut(open=False)
    service.close(db, handoff, "user_ended", notice=None)
    return HandoffOut(open=False, state=HandoffState.CLOSED)
