"""The pump's deliveries to Rasa: a consultant's messages carry the consultant's display name
and every message its language (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from bot.auth import create_user
from bot.db import Database, User
from bot.handoff import service
from bot.handoff.hours import OfficeHours
from bot.handoff.pump import HandoffPump
from bot.responses import fill, load_domain, variation_for
from bot.settings import ROOT
from tests.pg import database_url

ALWAYS = OfficeHours.parse("always")
DOMAIN = load_domain(ROOT / "domain.yml")


class RecordingRasa:
    """Rasa's HTTP API as the pump sees it: it takes events and holds no tracker."""

    def __init__(self) -> None:
        self.appended: list[tuple[str, list[dict[str, Any]]]] = []

    async def append(self, sender_id: str, events: list[dict[str, Any]]) -> None:
        self.appended.append((sender_id, events))

    async def events(self, sender_id: str) -> list[dict[str, Any]]:
        return []


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    with database_url(request.param, tmp_path) as url:
        database = Database(url)
        database.upgrade()
        yield database
        database.dispose()


def _delivered(database: Database, channel: str, display_name: str) -> list[dict[str, Any]]:
    """The bot events that bring a claim and one consultant line to a Ukrainian user."""
    with database.session() as db:
        consultant = create_user(db, f"c-{uuid.uuid4().hex[:8]}", "x" * 12, "consultant")
        consultant.display_name = display_name
        service.set_presence(db, consultant, True)
    with database.session() as db:
        handoff = service.start(
            db, sender_id=f"{channel}:{uuid.uuid4().hex}", channel=channel, lang="uk",
            question="Потрібен консультант", transcript=[], hours=ALWAYS, presence_seconds=30,
        ).handoff  # fmt: skip
    with database.session() as db:
        writer = db.get(User, consultant.id)
        service.claim(db, handoff.id, writer)
        service.reply(db, handoff.id, writer, "Добрий день!")
    rasa = RecordingRasa()
    pump = HandoffPump(database, rasa, DOMAIN, ALWAYS, claim_timeout=600)  # type: ignore[arg-type]
    asyncio.run(pump.step())
    return [e for _, events in rasa.appended for e in events if e["event"] == "bot"]


def test_on_the_web_chat_the_name_comes_beside_the_consultants_text(database):
    claimed, line = _delivered(database, "webchat", "Anna")
    assert line["text"] == "Добрий день!"
    assert line["metadata"]["consultant"] == "Anna"
    assert line["metadata"]["lang"] == claimed["metadata"]["lang"] == "uk"
    assert "consultant" not in claimed["metadata"]  # the bot's notice, not the consultant's


def test_on_telegram_the_name_is_written_into_the_text(database):
    _, line = _delivered(database, "telegram", "Anna")
    says = str(variation_for(DOMAIN, "utter_consultant_says", "uk")["text"])
    assert line["text"] == fill(says, {"name": "Anna", "message": "Добрий день!"})
    assert "Anna" in line["text"] and line["text"].endswith("Добрий день!")


def test_without_a_display_name_the_text_is_still_signed_as_a_consultants(database):
    _, line = _delivered(database, "telegram", "")
    says = str(variation_for(DOMAIN, "utter_consultant_says", "uk")["text"])
    assert line["text"] == fill(says, {"name": "INFO.OPT", "message": "Добрий день!"})
    assert line["text"].startswith("**Консультант INFO.OPT:**")
    assert line["metadata"]["consultant"] == ""


def test_on_the_web_chat_an_unnamed_consultants_text_goes_as_written(database):
    _, line = _delivered(database, "webchat", "")
    assert line["text"] == "Добрий день!" and line["metadata"]["consultant"] == ""
