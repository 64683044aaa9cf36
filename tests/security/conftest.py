"""Stacks for the attacks in this folder: one on SQLite (with a fake Telegram) and one on a
PostgreSQL database of its own, each shared by the whole session."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.e2e.conftest import domain, rasa_model, telegram  # noqa: F401  (shared fixtures)
from tests.fake_telegram import TELEGRAM_SECRET, TELEGRAM_TOKEN, FakeTelegram
from tests.security.clients import rest
from tools.devstack import Stack, StackConfig

POSTGRES_ADMIN = "postgresql://127.0.0.1:5432/test"
REST_TOKEN = "rest-channel-token-for-tests"


def _warm_up(stack: Stack, token: str | None = None) -> None:
    """One question first: the web app's first search loads what it needs, which on a busy
    machine can take longer than the action server waits, and no test here is about that."""
    body = {"sender": "warm-up", "message": "Ile kosztuje karta pobytu?"}
    rest(stack, body, token=token).raise_for_status()


def _telegram_env(fake: FakeTelegram) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE_URL": fake.base_url,
        "TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/webhooks/telegram/webhook",
        "FAQ_HANDOFF_HOURS": "always",
    }


@pytest.fixture(scope="session")
def sqlite_stack(
    rasa_model: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    telegram: FakeTelegram,  # noqa: F811
) -> Iterator[Stack]:
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("security-sqlite"), extra_env=_telegram_env(telegram)
    )
    with Stack(config, rasa_model).running() as running:
        _warm_up(running)
        yield running


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards: its tables hold only this session's."""
    name = f"security_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN, autocommit=True)
    except psycopg.OperationalError:
        pytest.fail("PostgreSQL is not reachable at 127.0.0.1:5432 (every dev/CI machine runs it)")
    admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://127.0.0.1:5432/{name}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def postgres_stack(
    rasa_model: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,
) -> Iterator[Stack]:
    """On PostgreSQL, with the REST channel guarded by a token as in production."""
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("security-postgres"),
        database_url=postgres_url,
        extra_env={"REST_CHANNEL_TOKEN": REST_TOKEN},
    )
    with Stack(config, rasa_model).running() as running:
        _warm_up(running, REST_TOKEN)
        yield running
