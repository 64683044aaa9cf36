"""The real stack — Rasa server, action server, web app — on free ports, for one test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.devstack import Stack, StackConfig, train_if_needed
from bot.settings import ROOT
from tests.e2e.chat import Chat


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    return train_if_needed()


@pytest.fixture(scope="session")
def stack(rasa_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    config = StackConfig.ephemeral(tmp_path_factory.mktemp("stack"))
    with Stack(config, rasa_model).running() as running:
        yield running


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack.config.rasa_url)
