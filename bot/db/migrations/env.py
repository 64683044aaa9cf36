"""Alembic environment: migrates the connection `bot.db.migrate` hands over."""

from __future__ import annotations

from alembic import context

from bot.db import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `faq db` (bot.db.migrate), not the alembic CLI")

# Batch mode lets follow-up migrations alter columns on SQLite, which has no ALTER COLUMN.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
