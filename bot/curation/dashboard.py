"""The dashboard's figures: questions and conversations per day, decisions, entries, handoffs.

Figures are computed in Python from the rows of the period rather than with SQL date
functions, which differ between SQLite and PostgreSQL; a period's rows are few enough.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from statistics import median

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.curation.handoffs import handoff_times
from bot.db import Feedback, QuestionLog
from bot.db.models import as_utc
from bot.kb.model import LANGUAGES

DECISIONS = ("answer", "clarify", "no_match")


def _day(moment: datetime) -> date:
    return as_utc(moment).astimezone(UTC).date()


@dataclass
class Day:
    day: date
    questions: int = 0
    conversations: int = 0
    by_lang: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    handoffs: int = 0
    waits: list[float] = field(default_factory=list)
    """Seconds from queueing to a consultant claiming, for handoffs claimed."""

    @property
    def median_wait(self) -> float | None:
        return median(self.waits) if self.waits else None


@dataclass
class EntryStats:
    kb_id: str
    asked: int = 0
    helpful: int = 0
    not_helpful: int = 0

    @property
    def helpful_rate(self) -> float | None:
        rated = self.helpful + self.not_helpful
        return self.helpful / rated if rated else None


@dataclass
class Dashboard:
    days: list[Day]
    decisions: Counter[str]
    entries: list[EntryStats]
    channels: list[str]

    @property
    def questions(self) -> int:
        return sum(self.decisions.values())

    def rate(self, decision: str) -> float:
        return self.decisions[decision] / self.questions if self.questions else 0.0


def build(db: Session, days: int = 30, today: date | None = None) -> Dashboard:
    """Figures for the `days` days up to `today` (UTC)."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=days - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=UTC)
    per_day = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(days)}
    senders: dict[date, set[str]] = defaultdict(set)
    decisions: Counter[str] = Counter()
    entries: dict[str, EntryStats] = {}
    rows = db.execute(
        select(
            QuestionLog.created_at,
            QuestionLog.sender_id,
            QuestionLog.lang,
            QuestionLog.channel,
            QuestionLog.decision,
            QuestionLog.kb_id,
        ).where(QuestionLog.created_at >= since)
    )
    for created, sender, lang, channel, decision, kb_id in rows:
        day = per_day.get(_day(created))
        if day is None:
            continue
        day.questions += 1
        day.by_lang[lang] += 1
        day.by_channel[channel or "other"] += 1
        day.decisions[decision] += 1
        decisions[decision] += 1
        senders[day.day].add(sender)
        if decision == "answer" and kb_id:
            entries.setdefault(kb_id, EntryStats(kb_id)).asked += 1
    for day_key, who in senders.items():
        per_day[day_key].conversations = len(who)
    for kb_id, helpful in db.execute(
        select(Feedback.kb_id, Feedback.helpful).where(Feedback.created_at >= since)
    ):
        stats = entries.setdefault(kb_id, EntryStats(kb_id))
        if helpful:
            stats.helpful += 1
        else:
            stats.not_helpful += 1
    for handoff in handoff_times(db, since):
        day = per_day.get(_day(handoff["created_at"]))
        if day is None:
            continue
        day.handoffs += 1
        if handoff["claimed_at"] is not None:
            waited = as_utc(handoff["claimed_at"]) - as_utc(handoff["created_at"])
            day.waits.append(waited.total_seconds())
    channels = sorted({c for d in per_day.values() for c in d.by_channel})
    ranked = sorted(entries.values(), key=lambda e: (-e.asked, e.kb_id))
    return Dashboard(list(per_day.values()), decisions, ranked, channels)


def most_asked(db: Session, days: int, limit: int) -> list[str]:
    """Ids of the entries answered most often in the last `days` days, most asked first.

    The same count as the dashboard's "answered" column, done by the database: the widget
    asks for it on every page view (briefly cached), so it must not read the period's rows.
    """
    since = datetime.now(UTC) - timedelta(days=days)
    count = func.count(QuestionLog.id)
    rows = db.execute(
        select(QuestionLog.kb_id, count)
        .where(
            QuestionLog.created_at >= since,
            QuestionLog.decision == "answer",
            QuestionLog.kb_id.is_not(None),
        )
        .group_by(QuestionLog.kb_id)
        .order_by(count.desc(), QuestionLog.kb_id)
        .limit(limit)
    )
    return [str(kb_id) for kb_id, _ in rows]


def daily_csv(board: Dashboard) -> str:
    """One row per day: totals, per language, per channel, decisions, handoffs, waits."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["day", "conversations", "questions"]
        + [f"lang_{lang}" for lang in LANGUAGES]
        + [f"channel_{c}" for c in board.channels]
        + list(DECISIONS)
        + ["handoffs", "median_wait_seconds"]
    )
    for d in board.days:
        wait = d.median_wait
        writer.writerow(
            [d.day.isoformat(), d.conversations, d.questions]
            + [d.by_lang[lang] for lang in LANGUAGES]
            + [d.by_channel[c] for c in board.channels]
            + [d.decisions[x] for x in DECISIONS]
            + [d.handoffs, "" if wait is None else round(wait)]
        )
    return out.getvalue()


def entries_csv(board: Dashboard) -> str:
    """One row per entry: times answered with it, helpful and not helpful ratings."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kb_id", "answered", "helpful", "not_helpful", "helpful_rate"])
    for e in board.entries:
        rate = e.helpful_rate
        writer.writerow(
            [e.kb_id, e.asked, e.helpful, e.not_helpful, "" if rate is None else round(rate, 3)]
        )
    return out.getvalue()


@dataclass(frozen=True)
class Bar:
    x: float
    """Left edge, in percent of the chart's width."""
    width: float
    """In percent of the chart's width."""
    y: float
    """Top, in pixels from the top of the plot."""
    height: float
    """In pixels."""
    label: str
    value: float


@dataclass(frozen=True)
class Tick:
    """A label under the bars."""

    x: float
    """In percent of the chart's width."""
    label: str
    anchor: str
    """SVG `text-anchor`: the first label starts at the left edge, the last ends at the right."""


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    ticks: list[Tick]
    top: float
    """The largest value: that of a full-height bar (none is, if it is 0)."""


def chart(values: list[tuple[str, float]], height: int = 160, ticks: int = 5) -> Chart:
    """Geometry of a bar chart, drawn as inline SVG by the template (no script, no CDN).

    Horizontal positions are percentages and the SVG has no viewBox: the bars stretch to the
    page's width while the labels keep their size in pixels. (Scaled by a viewBox, labels
    shrank with the chart and were unreadable in a dashboard card.) At most `ticks` bars
    are labelled, spread evenly from the first to the last.
    """
    if not values:
        return Chart([], [], 0.0)
    top = max(v for _, v in values)
    step = 100 / len(values)
    out = []
    for i, (label, value) in enumerate(values):
        h = height * value / (top or 1)
        x, w = round(i * step + step * 0.1, 3), round(step * 0.8, 3)
        out.append(Bar(x, w, round(height - h, 2), round(h, 2), label, value))
    last = len(values) - 1
    labelled = sorted({round(k * last / max(ticks - 1, 1)) for k in range(ticks)})
    marks = []
    for i in labelled:
        if i == 0:
            marks.append(Tick(0.0, out[i].label, "start"))
        elif i == last:
            marks.append(Tick(100.0, out[i].label, "end"))
        else:
            marks.append(Tick(round(out[i].x + out[i].width / 2, 3), out[i].label, "middle"))
    return Chart(out, marks, float(top))
