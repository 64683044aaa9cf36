"""Dashboard figures on SQLite, including the handoff table of the consultant console."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.curation import dashboard
from bot.db import Database, Feedback, Handoff, QuestionLog

TODAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.fixture
def db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade()
    with database.session() as session:
        yield session
    database.dispose()


def _q(db, sender, decision, kb_id=None, lang="uk", channel="rest", when=NOON):
    db.add(QuestionLog(created_at=when, sender_id=sender, lang=lang, channel=channel,
                       text="q", decision=decision, kb_id=kb_id))  # fmt: skip


def test_questions_conversations_rates_and_entries(db):
    _q(db, "a", "answer", "card.fees")
    _q(db, "a", "answer", "card.fees")
    _q(db, "b", "clarify", lang="pl", channel="telegram")
    _q(db, "c", "no_match", when=NOON - timedelta(days=1))
    _q(db, "d", "answer", "card.loss", when=NOON - timedelta(days=40))  # outside the period
    db.add(Feedback(kb_id="card.fees", lang="uk", helpful=True, created_at=NOON))
    db.add(Feedback(kb_id="card.fees", lang="uk", helpful=False, created_at=NOON))
    db.add(Feedback(kb_id="card.fees", lang="uk", helpful=True, created_at=NOON))
    db.flush()
    board = dashboard.build(db, days=30, today=TODAY)
    today = board.days[-1]
    assert (today.questions, today.conversations) == (3, 2)
    assert today.by_lang["uk"] == 2 and today.by_channel["telegram"] == 1
    assert board.days[-2].decisions["no_match"] == 1
    assert board.questions == 4 and board.rate("answer") == 0.5
    fees = board.entries[0]
    assert (fees.kb_id, fees.asked, fees.helpful, fees.not_helpful) == ("card.fees", 2, 2, 1)
    assert "card.loss" not in {e.kb_id for e in board.entries}
    csv_text = dashboard.daily_csv(board)
    assert csv_text.splitlines()[0].startswith("day,conversations,questions,lang_pl")
    assert "2026-11-20,2,3," in csv_text
    assert "card.fees,2,2,1,0.667" in dashboard.entries_csv(board)


def test_handoffs_per_day_and_waiting_times(db):
    for i, wait in enumerate((60, 180, None)):
        db.add(
            Handoff(
                sender_id=f"s{i}", channel="rest", lang="uk", question="q", state="closed",
                created_at=NOON, claimed_at=NOON + timedelta(seconds=wait) if wait else None,
            )
        )  # fmt: skip
    db.flush()
    board = dashboard.build(db, days=7, today=TODAY)
    assert board.days[-1].handoffs == 3
    assert board.days[-1].median_wait == 120


def test_bars_scale_to_the_largest_value():
    chart = dashboard.chart([("a", 1), ("b", 4)], height=40)
    assert [b.height for b in chart.bars] == [10, 40] and chart.top == 4
    # Across the width in percent, so the SVG needs no viewBox that would scale its labels.
    assert chart.bars[0].x == 5 and chart.bars[1].x == 55 and chart.bars[1].width == 40


def test_a_month_is_labelled_at_five_days_from_the_first_to_the_last():
    chart = dashboard.chart([(f"d{i}", i) for i in range(30)])
    assert [t.label for t in chart.ticks] == ["d0", "d7", "d14", "d22", "d29"]
    assert (chart.ticks[0].x, chart.ticks[0].anchor) == (0, "start")
    assert (chart.ticks[-1].x, chart.ticks[-1].anchor) == (100, "end")
    middle = chart.bars[14]
    assert chart.ticks[2].x == round(middle.x + middle.width / 2, 3)
    assert chart.ticks[2].anchor == "middle"


def test_a_short_period_labels_every_day_and_an_empty_one_draws_nothing():
    assert [t.label for t in dashboard.chart([("a", 0), ("b", 0)]).ticks] == ["a", "b"]
    assert dashboard.chart([("a", 0), ("b", 0)]).top == 0
    assert dashboard.chart([]) == dashboard.Chart([], [], 0.0)
