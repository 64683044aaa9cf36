"""Prometheus metrics of the web app, served at `/metrics` (bot/web/routers/metrics.py).

Counters and histograms live in this process's own registry: with several web-app processes
or replicas each reports its own, and Prometheus sums them (`sum by (...)`). Gauges read at
scrape time from the shared database (open handoffs) are the same on every replica; take
`max` of those. Every name starts with `faq_`; no label carries user text or ids.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.handoff.states import HandoffState

REGISTRY = CollectorRegistry(auto_describe=True)
_CHANNEL = re.compile(r"^[a-z_]{1,20}$")
"""Channel names as Rasa reports them (rest, socketio, telegram); others count as `other`."""

QUESTIONS = Counter(
    "faq_questions",
    "Questions searched for the bot, by language, channel and search decision.",
    ["lang", "channel", "decision"],
    registry=REGISTRY,
)
SEARCH_SECONDS = Histogram(
    "faq_search_seconds",
    "Time to search the knowledge base for one question.",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)
FEEDBACK = Counter(
    "faq_feedback",
    "Answers rated by users: helpful true or false.",
    ["helpful"],
    registry=REGISTRY,
)
HANDOFFS = Counter(
    "faq_handoffs",
    "Handoff events: queued, claimed, ticket_draft (nobody could take it), ticket (left).",
    ["event"],
    registry=REGISTRY,
)
HANDOFF_WAIT_SECONDS = Histogram(
    "faq_handoff_wait_seconds",
    "How long a queued conversation waited until a consultant claimed it.",
    buckets=(5, 15, 30, 60, 120, 300, 600, 1200, 3600),
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "faq_http_request_seconds",
    "Web-app request latency by route template, method and status code.",
    ["route", "method", "status"],
    registry=REGISTRY,
)
ACTION_SECONDS = Histogram(
    "faq_action_seconds",
    "Action-server time per custom action run (served by the action server, not the web app).",
    ["action"],
    registry=REGISTRY,
)
ERRORS = Counter(
    "faq_errors",
    "Failures: unhandled exceptions in requests and background tasks, by where they happened.",
    ["where"],
    registry=REGISTRY,
)
for _helpful in ("true", "false"):
    FEEDBACK.labels(helpful=_helpful)
for _event in (HandoffState.QUEUED, "claimed", HandoffState.TICKET_DRAFT, HandoffState.TICKET):
    HANDOFFS.labels(event=_event)


def searched(lang: str, channel: str, decision: str, seconds: float, counted: bool) -> None:
    """Record a search's time; `counted` ones (users' questions, not tools') are counted."""
    SEARCH_SECONDS.observe(seconds)
    if counted:
        channel = channel if _CHANNEL.match(channel) else "other"
        QUESTIONS.labels(lang=lang, channel=channel, decision=decision).inc()


def rated(helpful: bool) -> None:
    FEEDBACK.labels(helpful="true" if helpful else "false").inc()


def handoff_event(event: str, waited_seconds: float | None = None) -> None:
    """Count a handoff state change; a claim also records how long the user waited."""
    HANDOFFS.labels(event=event).inc()
    if waited_seconds is not None:
        HANDOFF_WAIT_SECONDS.observe(waited_seconds)


def exposition(
    kb_entries: int, index_build_seconds: float, open_handoffs: Iterable[tuple[str, int]]
) -> bytes:
    """The Prometheus text: this process's counters plus gauges of the current state."""
    state = CollectorRegistry()
    Gauge("faq_kb_entries", "Entries in the served knowledge base.", registry=state).set(kb_entries)
    Gauge(
        "faq_index_build_seconds",
        "Time the served search index took to build.",
        registry=state,
    ).set(index_build_seconds)
    handoffs = Gauge(
        "faq_handoffs_open",
        "Handoffs now in each open state (from the shared database).",
        ["state"],
        registry=state,
    )
    for name, count in open_handoffs:
        handoffs.labels(state=name).set(count)
    return generate_latest(REGISTRY) + generate_latest(state)
