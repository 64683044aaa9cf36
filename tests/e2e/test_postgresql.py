"""The whole stack on PostgreSQL: conversations and the curation data live there, and survive."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.db import Database
from tests.e2e.chat import Chat, customs, response_text, texts
from tools.devstack import Stack, StackConfig

pytestmark = pytest.mark.e2e

POSTGRES_URL = "postgresql://127.0.0.1:5432/test"


def test_stack_on_postgresql_keeps_conversations_across_restarts(rasa_model, tmp_path, domain):
    config = StackConfig.ephemeral(tmp_path, database_url=POSTGRES_URL)
    with Stack(config, rasa_model).running() as stack:
        chat = Chat(stack.config.rasa_url)
        chat.say("in English please")
        assert {"kb_id": "card.loss"} in customs(chat.say("zgubiłem kartę pobytu"))
        stack.restart("rasa")
        stack.restart("webapp")
        messages = chat.say("Ile kosztuje karta pobytu?")
        assert {"kb_id": "card.fees"} in customs(messages)
        assert response_text(domain, "utter_ask_helpful", "en") in texts(messages)
    assert not (tmp_path / "faq.db").exists() and not (tmp_path / "tracker.db").exists()
    database = Database(POSTGRES_URL)
    with database.engine.connect() as conn:
        logged = conn.execute(
            text("SELECT kb_id FROM question_log WHERE sender_id = :s ORDER BY id"),
            {"s": chat.sender},
        ).scalars()
        assert list(logged) == ["card.loss", "card.fees"]
        events = conn.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": chat.sender}
        ).scalar_one()
        assert events > 10
    database.dispose()
