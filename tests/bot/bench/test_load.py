"""Bookkeeping of the concurrency benchmark."""

from __future__ import annotations

from bot.bench.load import Tally, user_questions


def test_users_ask_different_questions():
    questions = [f"q{i}" for i in range(100)]
    first, second = user_questions(questions, 0, 5), user_questions(questions, 1, 5)
    assert len(first) == 5 and first != second
    assert user_questions(questions, 20, 3) == ["q40", "q41", "q42"]


def test_throughput_counts_answered_messages_only():
    tally = Tally(ms=[100.0, 200.0, 300.0, 400.0], errors=2, wall_s=2.0)
    summary = tally.summary(users=3)
    assert summary["messages"] == 6 and summary["errors"] == 2
    assert summary["throughput_per_s"] == 2.0
    assert summary["ms"]["p50"] == 250.0
