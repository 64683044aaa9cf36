"""The web app's background work for handoffs, one step per second.

Several web apps may share one database (`REPLICAS`): a step runs in one of them at a time
(`Database.exclusive`), so a line is never sent twice at once nor overtaken by a later one.

- deliver consultant messages and notices to users through Rasa, in order, retrying until
  Rasa accepts them, and once: a line whose delivery Rasa took just before a web app died
  (unmarked) is recognised in the tracker by its `handoff_line` and only marked;
- copy user messages from Rasa's trackers into open handoffs' transcripts (the action server
  relays them at once; this catches what arrived while the web app was down);
- turn conversations nobody claimed in time into ticket drafts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from bot import metrics
from bot.db import Database, Handoff, HandoffMessage, User
from bot.handoff import service
from bot.handoff.hours import OfficeHours
from bot.handoff.rasa_client import RasaClient, RasaError
from bot.handoff.states import OPEN_STATES, HandoffState
from bot.responses import day_names, fill, variation_for

log = logging.getLogger(__name__)

PUMP_WORK = "handoff-pump"
"""The name under which one web app at a time runs a step (`Database.exclusive`)."""

SLOT_AFTER = {
    service.NOTICE_CLAIMED: HandoffState.ACTIVE,
    service.NOTICE_RETURNED: None,
    service.NOTICE_RESOLVED: None,
    service.NOTICE_TIMEOUT: HandoffState.TICKET_DRAFT,
}
"""The `handoff_state` slot after each notice."""
PAYLOAD_AFTER = {
    service.NOTICE_CLAIMED: HandoffState.ACTIVE,
    service.NOTICE_RETURNED: HandoffState.CLOSED,
    service.NOTICE_RESOLVED: HandoffState.CLOSED,
    service.NOTICE_TIMEOUT: HandoffState.TICKET,
}
"""The `{"handoff": ...}` payload each notice carries (REST clients and the widget read it)."""


@dataclass
class Outgoing:
    """Undelivered lines of one conversation, as Rasa events."""

    sender_id: str
    ids: list[int]
    events: list[dict[str, Any]]


def render_notice(domain: dict[str, Any], name: str, lang: str, hours: OfficeHours) -> str:
    """A notice's text in `lang`, with `{hours}` filled in."""
    text = str(variation_for(domain, name, lang).get("text") or "")
    return fill(text, {"hours": hours.describe(day_names(domain, lang))})


NAME_BESIDE_TEXT = frozenset({"webchat"})
"""Channels that show a consultant's name beside the message (from the message's metadata);
on the others the name is written into the text (response `utter_consultant_says`)."""


def consultant_text(
    line: HandoffMessage, handoff: Handoff, domain: dict[str, Any], name: str
) -> str:
    """What the user's channel shows of a consultant's line written by `name`.

    Without a display name the line is signed with the service's name (response
    `utter_consultant_unnamed`), so that a person's words never pass for the bot's.
    """
    if handoff.channel in NAME_BESIDE_TEXT:
        return line.text
    if not name:
        name = str(variation_for(domain, "utter_consultant_unnamed", handoff.lang).get("text"))
    text = str(variation_for(domain, "utter_consultant_says", handoff.lang).get("text") or "")
    return fill(text, {"name": name, "message": line.text})


def events_for(
    line: HandoffMessage,
    handoff: Handoff,
    domain: dict[str, Any],
    hours: OfficeHours,
    consultant_name: str = "",
) -> list[dict[str, Any]]:
    """The Rasa events that deliver one outbox line.

    Every message carries its language, and a consultant's line the consultant's display name
    (`consultant_name`), in the metadata: Rasa hands both to the channel with the text.
    """
    now = time.time()
    metadata: dict[str, Any] = {"handoff_line": line.id, "lang": handoff.lang}
    if line.author == "consultant":
        text = consultant_text(line, handoff, domain, consultant_name)
        return [
            {"event": "bot", "text": text, "timestamp": now,
             "metadata": {**metadata, "consultant": consultant_name}}
        ]  # fmt: skip
    events: list[dict[str, Any]] = [
        {
            "event": "bot",
            "text": render_notice(domain, line.text, handoff.lang, hours),
            "data": {"custom": {"handoff": PAYLOAD_AFTER.get(line.text, handoff.state)}},
            "timestamp": now,
            "metadata": metadata,
        }
    ]
    if line.text in SLOT_AFTER:
        events.append(
            {"event": "slot", "name": "handoff_state", "value": SLOT_AFTER[line.text],
             "timestamp": now}
        )  # fmt: skip
    return events


class HandoffPump:
    """Runs `step()` every `every` seconds until cancelled."""

    def __init__(
        self,
        database: Database,
        rasa: RasaClient,
        domain: dict[str, Any],
        hours: OfficeHours,
        claim_timeout: float,
        sync_every: float = 5.0,
    ):
        self.database = database
        self.rasa = rasa
        self.domain = domain
        self.hours = hours
        self.claim_timeout = claim_timeout
        self.sync_every = sync_every
        self._last_sync = 0.0
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def wake(self) -> None:
        """Run the next step now (a consultant just wrote): replies reach users at once.

        Safe from any thread: routes run in the thread pool.
        """
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self, every: float) -> None:
        self._loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            try:
                await self.step()
            except Exception:  # the pump must outlive one bad round (e.g. a database restart)
                metrics.ERRORS.labels(where="handoff_pump").inc()
                log.exception("handoff pump step failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), every)

    async def step(self) -> None:
        """One round, unless another web app's pump is in one right now."""
        turn = self.database.exclusive(PUMP_WORK)
        if await run_in_threadpool(turn.__enter__):
            try:
                await self._step()
            finally:
                await run_in_threadpool(turn.__exit__, None, None, None)
        else:
            await run_in_threadpool(turn.__exit__, None, None, None)

    async def _step(self) -> None:
        await run_in_threadpool(self._expire)
        for outgoing in await run_in_threadpool(self._outbox):
            try:
                outgoing = await self._not_yet_delivered(outgoing)
                if outgoing.events:
                    await self.rasa.append(outgoing.sender_id, outgoing.events)
            except RasaError as exc:
                # Only this conversation waits: one it cannot take must not hold up the rest.
                metrics.ERRORS.labels(where="rasa_delivery").inc()
                log.warning("delivery postponed: %s", exc)
                continue
            await run_in_threadpool(self._mark_delivered, outgoing.ids)
        if time.monotonic() - self._last_sync >= self.sync_every:
            self._last_sync = time.monotonic()
            await self.sync()

    async def _not_yet_delivered(self, outgoing: Outgoing) -> Outgoing:
        """`outgoing` without the lines the tracker already holds.

        Raises:
            RasaError: if Rasa cannot be asked.
        """
        delivered = {
            (event.get("metadata") or {}).get("handoff_line")
            for event in await self.rasa.events(outgoing.sender_id)
            if event.get("event") == "bot"
        }
        if not delivered.intersection(outgoing.ids):
            return outgoing
        events, line = [], None
        for event in outgoing.events:
            # A line's events start with its bot message; its slot event follows it.
            line = (event.get("metadata") or {}).get("handoff_line", line)
            if line not in delivered:
                events.append(event)
        return Outgoing(outgoing.sender_id, outgoing.ids, events)

    def _expire(self) -> None:
        with self.database.session() as db:
            if count := service.expire_unclaimed(db, self.claim_timeout):
                log.info("%d unclaimed conversation(s) became tickets", count)

    def _outbox(self) -> list[Outgoing]:
        with self.database.session() as db:
            lines = db.scalars(
                select(HandoffMessage)
                .where(HandoffMessage.delivered.is_(False))
                .order_by(HandoffMessage.id)
            ).all()
            batches: dict[int, Outgoing] = {}
            for line in lines:
                handoff = db.get(Handoff, line.handoff_id)
                if handoff is None:
                    continue
                batch = batches.setdefault(handoff.id, Outgoing(handoff.sender_id, [], []))
                batch.ids.append(line.id)
                writer = db.get(User, line.consultant_id) if line.consultant_id else None
                name = writer.display_name if writer else ""
                batch.events += events_for(line, handoff, self.domain, self.hours, name)
            return list(batches.values())

    def _mark_delivered(self, ids: list[int]) -> None:
        with self.database.session() as db:
            for line in db.scalars(select(HandoffMessage).where(HandoffMessage.id.in_(ids))):
                line.delivered = True

    async def sync(self) -> None:
        """Copy user messages the action server could not relay (the web app was down)."""
        for handoff_id, sender_id, since in await run_in_threadpool(self._open_handoffs):
            try:
                events = await self.rasa.events(sender_id)
            except RasaError as exc:
                log.warning("transcript sync postponed: %s", exc)
                return
            await run_in_threadpool(self._copy, handoff_id, events, since)

    def _open_handoffs(self) -> list[tuple[int, str, float]]:
        with self.database.session() as db:
            return [
                (h.id, h.sender_id, h.synced_until)
                for h in db.scalars(select(Handoff).where(Handoff.state.in_(OPEN_STATES)))
            ]

    def _copy(self, handoff_id: int, events: list[dict[str, Any]], since: float) -> None:
        with self.database.session() as db:
            handoff = db.get(Handoff, handoff_id)
            if handoff is None:
                return
            started = service.as_timestamp(handoff.created_at)
            latest = since
            for event in events:
                ts = float(event.get("timestamp") or 0)
                if event.get("event") != "user" or ts <= max(since, started):
                    continue
                text = str(event.get("text") or "")
                if text and not text.startswith("/"):
                    service.add_user_line(db, handoff, text, ts)
                latest = max(latest, ts)
            handoff.synced_until = latest
            if handoff.state == HandoffState.TICKET_DRAFT:
                service.submit_ticket_if_complete(db, handoff)
