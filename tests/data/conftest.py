"""Tests here run in .venv-rasa (Python 3.10, Rasa 3.6) against the trained model."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def agent():
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from rasa.core.agent import Agent

    model = os.environ.get("RASA_MODEL")
    if not model or not Path(model).exists():
        pytest.fail("set RASA_MODEL to a trained model (`make rasa-env-test` does)")
    return Agent.load(model)


@pytest.fixture(scope="session")
def parse(agent):
    loop = asyncio.new_event_loop()

    def _parse(text: str) -> dict:
        return loop.run_until_complete(agent.parse_message(text))

    yield _parse
    loop.close()
