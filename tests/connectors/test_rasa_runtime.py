"""The fixes to Rasa's runtime (connectors/rasa_runtime.py), on Rasa's own classes.

Runs in .venv-rasa (make rasa-env-test), where Rasa is installed.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rasa.core.actions.action as action_module
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, FollowupAction, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import ConnectionException
from rasa.utils.endpoints import EndpointConfig

from connectors import rasa_runtime

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain.yml")
rasa_runtime.install()


def technical_problem(lang: str) -> str:
    for variation in DOMAIN.responses["utter_technical_problem"]:
        conditions = variation.get("condition") or []
        if (lang == "pl" and not conditions) or any(c["value"] == lang for c in conditions):
            return str(variation["text"])
    raise KeyError(lang)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers, like a hung action server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        yield int(s.getsockname()[1])


def tracker(language: str | None = None, metadata: dict[str, Any] | None = None):
    events: list[Event] = [UserUttered("скільки коштує карта побиту?", metadata=metadata)]
    if language:
        events.append(SlotSet("language", language))
    return DialogueStateTracker.from_events("user-1", events, slots=DOMAIN.slots)


def run_action(port: int, state: DialogueStateTracker) -> list[Event]:
    action = RemoteAction("action_answer_question", EndpointConfig(f"http://127.0.0.1:{port}"))
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    return asyncio.run(action.run(CollectingOutputChannel(), nlg, state, DOMAIN))


def bot_texts(events: list[Event]) -> list[str]:
    return [e.text for e in events if isinstance(e, BotUttered)]


def ends_turn(events: list[Event]) -> bool:
    return any(isinstance(e, FollowupAction) and e.action_name == "action_listen" for e in events)


def test_action_responses_are_checked_without_rechecking_the_schema_every_time(monkeypatch):
    calls = []
    monkeypatch.setattr(jsonschema, "validate", lambda *args, **kw: calls.append(args))
    action = RemoteAction("action_answer_question", None)
    response = {"events": [{"event": "slot", "name": "language", "value": "uk"}], "responses": []}
    for _ in range(20):
        assert action._validate_action_result(response)
    assert calls == []  # jsonschema.validate checks the schema against its meta-schema each time


def test_an_invalid_action_response_is_still_refused_with_rasas_explanation():
    action = RemoteAction("action_answer_question", None)
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server"):
        action._validate_action_result({"events": "not a list"})


def test_an_unreachable_action_server_gets_the_apology_in_the_users_language():
    events = run_action(free_port(), tracker("uk"))
    assert bot_texts(events) == [technical_problem("uk")]
    assert ends_turn(events)


def test_the_apology_follows_the_channels_language_before_the_conversation_has_one():
    events = run_action(free_port(), tracker(metadata={"language": "ru-RU"}))
    assert bot_texts(events) == [technical_problem("ru")]


def test_a_hung_action_server_gets_the_apology_after_the_action_timeout(monkeypatch, silent_port):
    monkeypatch.setattr(action_module, "DEFAULT_REQUEST_TIMEOUT", 1)
    started = time.monotonic()
    events = run_action(silent_port, tracker("en"))
    assert time.monotonic() - started < 10
    assert bot_texts(events) == [technical_problem("en")]


def test_the_action_timeout_is_seconds_from_the_environment(monkeypatch):
    assert action_module.DEFAULT_REQUEST_TIMEOUT <= 60  # installed; Rasa's own is 300
    monkeypatch.setenv("FAQ_ACTION_TIMEOUT", "4")
    assert rasa_runtime.action_timeout() == 4
    monkeypatch.setenv("FAQ_ACTION_TIMEOUT", "soon")
    assert rasa_runtime.action_timeout() == rasa_runtime.DEFAULT_ACTION_TIMEOUT


@pytest.mark.parametrize(
    "url",
    [
        lambda tmp: f"postgresql://127.0.0.1:{free_port()}/tracker",
        lambda tmp: f"sqlite:///{tmp}/missing-folder/tracker.db",
    ],
    ids=["postgresql-down", "sqlite-folder-missing"],
)
def test_the_sql_tracker_store_refuses_a_database_it_cannot_use(url, tmp_path):
    config = EndpointConfig(url(tmp_path), type="SQL")
    with pytest.raises(ConnectionException, match="tracker store: cannot reach"):
        TrackerStore.create(config, DOMAIN)


def test_the_sql_tracker_store_still_works_on_a_reachable_database(tmp_path):
    store = TrackerStore.create(
        EndpointConfig(f"sqlite:///{tmp_path}/tracker.db", type="SQL"), DOMAIN
    )
    assert isinstance(getattr(store, "_tracker_store", store), SQLTrackerStore)


def test_a_sqlite_tracker_store_keeps_its_connection_and_logs_ahead(tmp_path):
    store = TrackerStore.create(
        EndpointConfig(f"sqlite:///{tmp_path}/tracker.db", type="SQL"), DOMAIN
    )
    sql = getattr(store, "_tracker_store", store)
    state = tracker("uk")
    asyncio.run(sql.save(state))
    with sql.engine.connect() as first:
        raw = first.connection.dbapi_connection
        assert first.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert first.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    with sql.engine.connect() as second:
        assert second.connection.dbapi_connection is raw  # not a new connection per session
    again = asyncio.run(sql.retrieve("user-1"))
    assert [e.as_dict()["event"] for e in again.events] == ["user", "slot"]
