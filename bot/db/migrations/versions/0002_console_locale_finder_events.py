"""The console language of each staff account; the permit finder's events for the dashboard.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:00:37.064017
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "finder_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sender_id", sa.String(length=128), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("question", sa.String(length=64), nullable=False),
        sa.Column("result", sa.String(length=512), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("finder_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_finder_event_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_finder_event_sender_id"), ["sender_id"], unique=False)

    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("locale")

    with op.batch_alter_table("finder_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finder_event_sender_id"))
        batch_op.drop_index(batch_op.f("ix_finder_event_created_at"))

    op.drop_table("finder_event")
