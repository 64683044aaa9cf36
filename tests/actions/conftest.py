from __future__ import annotations

from collections.abc import Iterator

import pytest

from actions.webapp import set_webapp
from tests.actions.fakes import FakeWebApp


@pytest.fixture
def webapp() -> Iterator[FakeWebApp]:
    """A fake web app behind the actions' client for one test."""
    fake = FakeWebApp()
    set_webapp(fake.client())
    yield fake
    set_webapp(None)
