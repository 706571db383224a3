"""The SLA watch's schedule: each ticket's next reminder point, indexed; the digest's index by unit and day.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Every running ticket is set to be looked at now: the first scan after the upgrade places its reminder
points (claims already sent stay sent, so nothing is repeated).
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.add_column(sa.Column("next_check_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_tickets_next_check_at", ["next_check_at"])
        batch.create_index("ix_tickets_unit_opened_at", ["unit", "opened_at"])
    op.execute("UPDATE tickets SET next_check_at = opened_at WHERE status IN ('new', 'in_progress')")


def downgrade() -> None:
    with op.batch_alter_table("tickets") as batch:
        batch.drop_index("ix_tickets_unit_opened_at")
        batch.drop_index("ix_tickets_next_check_at")
        batch.drop_column("next_check_at")
