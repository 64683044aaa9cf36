"""The real stack — Rasa server, action server, web app — on free ports, for one test session."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.auth import create_user
from bot.db import Database
from bot.rasa_model import train_if_needed
from bot.settings import ROOT
from tests.e2e.browser import CHROMIUM, CHROMIUM_FLAGS, POLISH_CHROMIUM, STAFF, STAFF_PASSWORD
from tests.e2e.chat import Chat
from tests.fake_telegram import TELEGRAM_SECRET, TELEGRAM_TOKEN, FakeTelegram
from tools.devstack import Stack, StackConfig


@pytest.fixture(scope="session")
def rasa_model() -> Path:
    return train_if_needed()


@pytest.fixture(scope="session")
def telegram() -> Iterator[FakeTelegram]:
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(
    rasa_model: Path, tmp_path_factory: pytest.TempPathFactory, telegram: FakeTelegram
) -> Iterator[Stack]:
    # The staff console edits the knowledge base: give the stack its own copy, never data/kb.
    kb_dir = tmp_path_factory.mktemp("kb")
    shutil.copytree(ROOT / "data" / "kb", kb_dir, dirs_exist_ok=True)
    # Its intent examples and retraining too: a copy of the Rasa inputs.
    project = tmp_path_factory.mktemp("rasa-project")
    shutil.copytree(ROOT / "data", project / "data", ignore=shutil.ignore_patterns("kb"))
    for name in ("config.yml", "domain.yml"):
        shutil.copy(ROOT / name, project / name)
    config = StackConfig.ephemeral(
        tmp_path_factory.mktemp("stack"),
        extra_env={
            "FAQ_KB_DIR": str(kb_dir),
            "FAQ_RASA_PROJECT_DIR": str(project),
            "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
            "TELEGRAM_SECRET_TOKEN": TELEGRAM_SECRET,
            "TELEGRAM_API_BASE_URL": telegram.base_url,
            # Only handed to setWebhook (recorded by the fake); nothing connects to it.
            "TELEGRAM_WEBHOOK_URL": "https://bot.example.invalid/webhooks/telegram/webhook",
            # Consultants work around the clock here; test_handoff_tickets covers the rest.
            "FAQ_HANDOFF_HOURS": "always",
        },
    )
    with Stack(config, rasa_model).running() as running:
        yield running


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture
def chat(stack: Stack) -> Chat:
    return Chat(stack.config.rasa_url)


def create_staff(db_url: str) -> dict[str, tuple[str, str]]:
    """Create the `STAFF` accounts (password `STAFF_PASSWORD`) in a stack's database."""
    database = Database(db_url)
    database.upgrade()
    with database.session() as db:
        for username, (role, languages) in STAFF.items():
            create_user(db, username, STAFF_PASSWORD, role, languages)
    database.dispose()
    return STAFF


@pytest.fixture(scope="session")
def staff(stack: Stack) -> dict[str, tuple[str, str]]:
    """The `STAFF` accounts in the session stack's database."""
    return create_staff(stack.config.db_url)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """Debian's Chromium (browser downloads fail on these machines), driven by Playwright."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def polish_browser(playwright: Any) -> Iterator[Any]:
    """Chromium in Polish, as a Polish office's browsers are.

    A context's `locale` sets the page's language and formats, but form controls such as
    date inputs follow the browser's own language: Polish here, from `LANGUAGE` and the
    Polish resources of Debian's `chromium-l10n`.
    """
    if not POLISH_CHROMIUM.exists():
        pytest.fail(f"{POLISH_CHROMIUM} is missing: apt-get install chromium-l10n")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_FLAGS,
        env={**os.environ, "LANGUAGE": "pl"},
    )
    yield browser
    browser.close()


@pytest.fixture
def polish(polish_browser: Any) -> Iterator[Any]:
    """A Polish browser that records any Content-Security-Policy violation of its pages."""
    context = polish_browser.new_context(locale="pl-PL", viewport={"width": 1280, "height": 900})
    context.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    yield context
    context.close()
