"""The queue, claims and tickets on real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from bot.auth import create_user
from bot.db import ConsultantPresence, Database, Handoff, HandoffMessage
from bot.handoff import service
from bot.handoff.hours import OfficeHours

POSTGRES_URL = "postgresql://127.0.0.1:5432/test"
ALWAYS = OfficeHours.parse("always")
MONDAY_NOON = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'faq.db'}" if request.param == "sqlite" else POSTGRES_URL
    database = Database(url)
    database.upgrade()
    yield database
    database.dispose()


def _consultant(database, languages="pl,en,uk,ru", available=True):
    with database.session() as db:
        user = create_user(db, f"c-{uuid.uuid4().hex[:8]}", "x" * 12, "consultant", languages)
        service.set_presence(db, user, available)
        return user


def _start(database, hours=ALWAYS, lang="uk", now=None, **extra):
    with database.session() as db:
        opened = service.start(
            db, sender_id=f"s-{uuid.uuid4().hex}", channel="webchat", lang=lang,
            question="Потрібен консультант", transcript=extra.get("transcript", []),
            hours=hours, presence_seconds=30, now=now,
        )  # fmt: skip
        return opened.handoff, opened.position


def test_with_a_consultant_online_the_conversation_is_queued_with_its_transcript(database):
    _consultant(database)
    transcript = [
        {"author": "user", "text": "скільки коштує карта?", "ts": 1_790_000_000.0},
        {"author": "bot", "text": "340 zł", "kb_id": "card.fees", "ts": 1_790_000_001.0},
    ]
    handoff, position = _start(database, transcript=transcript)
    assert handoff.state == "queued" and position >= 1
    with database.session() as db:
        lines = db.scalars(
            select(HandoffMessage).where(HandoffMessage.handoff_id == handoff.id)
        ).all()
        assert [(x.author, x.kb_id) for x in lines] == [("user", None), ("bot", "card.fees")]
        again = service.start(
            db, sender_id=handoff.sender_id, channel="webchat", lang="uk", question="",
            transcript=[], hours=ALWAYS, presence_seconds=30,
        )  # fmt: skip
        assert again.handoff.id == handoff.id


def test_outside_hours_or_without_a_consultant_of_the_language_it_is_a_ticket(database):
    with database.session() as db:  # PostgreSQL's test database keeps earlier tests' consultants
        db.execute(update(ConsultantPresence).values(available=False))
    _consultant(database, languages="pl")
    handoff, _ = _start(database, lang="ru", now=datetime.now(UTC))
    assert (handoff.state, handoff.reason) == ("ticket_draft", "nobody_online")
    _consultant(database, languages="ru")
    saturday = datetime(2026, 11, 28, 11, 0, tzinfo=UTC)
    handoff, _ = _start(database, OfficeHours.parse("Mon-Fri 07:30-15:30"), now=saturday)
    assert (handoff.state, handoff.reason) == ("ticket_draft", "outside_hours")


def test_a_ticket_needs_a_message_and_an_email_address(database):
    handoff, _ = _start(database, OfficeHours.parse("never"))
    with database.session() as db:
        handoff = db.get(Handoff, handoff.id)
        assert service.ticket_needs(db, handoff) == "message"
        service.add_user_line(db, handoff, "oksana@example.com", ts=None)
        assert service.ticket_needs(db, handoff) == "message"
        service.add_user_line(db, handoff, "Коли буде готова моя карта?", ts=None)
        assert service.submit_ticket_if_complete(db, handoff) is None
        assert (handoff.state, handoff.email) == ("ticket", "oksana@example.com")


def test_two_concurrent_claims_exactly_one_wins(database):
    first, second = _consultant(database), _consultant(database)
    handoff, _ = _start(database)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def claim(user):
        barrier.wait()
        try:
            with database.session() as db:
                service.claim(db, handoff.id, user)
            outcomes.append("ok")
        except service.HandoffError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=claim, args=(u,)) for u in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_taken", "ok"]
    with database.session() as db:
        notices = db.scalars(
            select(HandoffMessage.text).where(
                HandoffMessage.handoff_id == handoff.id, HandoffMessage.author == "notice"
            )
        ).all()
        assert notices == [service.NOTICE_CLAIMED]


def test_only_the_claiming_consultant_replies_and_hands_back(database):
    owner, other = _consultant(database), _consultant(database)
    handoff, _ = _start(database)
    with database.session() as db:
        service.claim(db, handoff.id, owner)
    with database.session() as db, pytest.raises(service.HandoffError) as caught:
        service.reply(db, handoff.id, other, "Dzień dobry")
    assert caught.value.code == "not_yours"
    with database.session() as db:
        line = service.reply(db, handoff.id, owner, "Dzień dobry, w czym mogę pomóc?")
        assert line.delivered is False
        service.hand_back(db, handoff.id, owner, resolved=False)
    with database.session() as db:
        assert db.get(Handoff, handoff.id).state == "closed"
        assert service.open_handoff_for(db, handoff.sender_id) is None


def test_unclaimed_conversations_become_tickets_after_the_timeout(database):
    _consultant(database)
    old, _ = _start(database, now=datetime.now(UTC) - timedelta(minutes=20))
    fresh, _ = _start(database)
    with database.session() as db:
        service.expire_unclaimed(db, timeout_seconds=600)
    with database.session() as db:
        assert (db.get(Handoff, old.id).state, db.get(Handoff, old.id).reason) == (
            "ticket_draft", "not_claimed",
        )  # fmt: skip
        assert db.get(Handoff, fresh.id).state == "queued"


def test_a_user_line_from_rasa_is_copied_once(database):
    handoff, _ = _start(database)
    with database.session() as db:
        handoff = db.get(Handoff, handoff.id)
        assert service.add_user_line(db, handoff, "Halo?", ts=1_790_000_100.5)
        assert not service.add_user_line(db, handoff, "Halo?", ts=1_790_000_100.5)


def test_a_poll_keeps_an_online_consultant_online_but_never_brings_one_online(database):
    with database.session() as db:
        user = create_user(db, f"c-{uuid.uuid4().hex[:8]}", "x" * 12, "consultant", "pl")
        assert not service.keep_presence(db, user, 30, now=MONDAY_NOON)  # never said available
        assert db.get(ConsultantPresence, user.id) is None
        assert service.set_presence(db, user, True, now=MONDAY_NOON)
        later = MONDAY_NOON + timedelta(seconds=25)
        assert service.keep_presence(db, user, 30, now=later)  # polled in time: still online
        assert service.keep_presence(db, user, 30, now=later + timedelta(seconds=25))
        gone = later + timedelta(seconds=25 + 31)  # the console stopped polling meanwhile
        assert not service.keep_presence(db, user, 30, now=gone)
        others = service.consultants_online(db, "pl", gone, 30)  # PostgreSQL keeps earlier ones
        assert service.set_presence(db, user, True, now=gone)  # back only by saying so
        assert service.consultants_online(db, "pl", gone, 30) == others + 1
        service.set_presence(db, user, False, now=gone)
        assert not service.keep_presence(db, user, 30, now=gone)
