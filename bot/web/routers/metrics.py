"""Prometheus metrics (bot/metrics.py), for the internal token like the internal API."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import func, select

from bot import metrics
from bot.db import Handoff
from bot.handoff.states import OPEN_STATES
from bot.web.deps import DbDep, SearchDep
from bot.web.security import Internal

router = APIRouter(tags=["operations"], dependencies=[Internal])


@router.get("/metrics")
def scrape(service: SearchDep, db: DbDep) -> Response:
    """The Prometheus text format: this process's counters and the current state's gauges."""
    snapshot = service.snapshot
    counts = dict(
        db.execute(
            select(Handoff.state, func.count(Handoff.id))
            .where(Handoff.state.in_(OPEN_STATES))
            .group_by(Handoff.state)
        ).all()
    )
    body = metrics.exposition(
        kb_entries=len(snapshot.kb.entries),
        index_build_seconds=snapshot.searcher.index.build_seconds,
        open_handoffs=[(state, counts.get(state, 0)) for state in OPEN_STATES],
    )
    return Response(body, media_type=CONTENT_TYPE_LATEST)
