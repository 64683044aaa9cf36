"""Bookkeeping of the concurrency benchmark."""

from __future__ import annotations

import asyncio
import json

import httpx

from tools.bench.load import TURNS, Tally, _rest_user, messages_per_user, user_questions


def test_users_ask_different_questions():
    questions = [f"q{i}" for i in range(100)]
    first, second = user_questions(questions, 0, 5), user_questions(questions, 1, 5)
    assert len(first) == 5 and first != second
    assert user_questions(questions, 20, 3) == ["q40", "q41", "q42"]


def test_throughput_counts_answered_messages_only():
    tally = Tally(ms=[100.0, 200.0, 300.0, 400.0], errors=2, wall_s=2.0)
    summary = tally.summary(users=3, replicas=2)
    assert summary["replicas"] == 2
    assert summary["messages"] == 6 and summary["errors"] == 2
    assert summary["throughput_per_s"] == 2.0
    assert summary["ms"]["p50"] == 250.0


def test_users_hold_short_conversations_with_a_fresh_sender_each():
    senders: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        senders.append(json.loads(request.content)["sender"])
        return httpx.Response(200, json=[{"text": "ok"}])

    async def run() -> Tally:
        tally = Tally()
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
            await _rest_user(client, "http://rasa/webhooks/rest/webhook", ["q"] * 12, tally)
        return tally

    tally = asyncio.run(run())
    assert len(tally.ms) == 12 and tally.errors == 0
    assert [senders.count(s) for s in dict.fromkeys(senders)] == [TURNS, TURNS, 2]
    assert senders[:TURNS] == [senders[0]] * TURNS


def test_messages_are_split_into_whole_conversations():
    assert messages_per_user(200, 1) == 200
    assert messages_per_user(200, 10) == 20
    assert messages_per_user(200, 50) == TURNS  # at least one conversation each
