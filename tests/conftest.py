"""Shared fixtures: a small knowledge base, a fake encoder, settings pointing at temp folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.settings import ROOT, Settings
from tests.fakes import FakeEncoder

KB_DIR = ROOT / "data" / "kb"

# These run in .venv-rasa (make rasa-env-test), where Rasa and python-telegram-bot live.
collect_ignore = ["data", "connectors"]


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the real knowledge base."""
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by all tests: indexes are keyed by content, so reusing them is safe and fast."""
    return tmp_path_factory.mktemp("models")


@pytest.fixture
def settings(tmp_path: Path, kb_copy: Path, models_dir: Path) -> Settings:
    return Settings(
        kb_dir=kb_copy,
        models_dir=models_dir,
        var_dir=tmp_path / "var",
        search_config=ROOT / "data" / "search.yml",
        kb_poll_seconds=0.2,
    )
