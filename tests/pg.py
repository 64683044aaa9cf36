"""A fresh PostgreSQL database per test, for tests that need an empty one (migrations, restore)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

SERVER = "127.0.0.1:5432"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it afterwards."""
    name = f"faq_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(f"postgresql://{SERVER}/test", autocommit=True)
    except psycopg.OperationalError:
        pytest.fail(f"PostgreSQL is not reachable at {SERVER} (every dev/CI machine runs it)")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql://{SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_url(kind: str, folder: object) -> Iterator[str]:
    """An empty database of `kind` (sqlite: a file in `folder`; postgresql: a fresh database)."""
    if kind == "sqlite":
        yield f"sqlite:///{folder}/faq.db"
        return
    with fresh_postgres_database() as url:
        yield url
