"""Outbox and reliability: a send's attempt time, the unprocessed-inbound index, conversation state in SQL.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

- ``messages.attempted_at``: set just before a part of the reply goes to the
  platform, cleared once its id is recorded. A row found with it set was on
  the wire when a worker died or a read timed out: the next run asks the
  platform what arrived (Twilio) before sending again.
- ``messages.parts_sent``: how many parts of a long reply went out already.
- ``ix_inbound_events_processed_at``: the sweeper looks for recorded but
  unprocessed inbound events.
- ``conversation_states``: each chat's conversation state (drafts) as of its
  last turn, so a Redis restart does not lose a half-filled complaint.
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("attempted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_inbound_events_processed_at", "inbound_events", ["processed_at"])
    op.create_table(
        "conversation_states",
        sa.Column("chat_hash", sa.String(64), nullable=False),
        sa.Column("state", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("chat_hash", name="pk_conversation_states"),
    )


def downgrade() -> None:
    op.drop_table("conversation_states")
    op.drop_index("ix_inbound_events_processed_at", table_name="inbound_events")
    with op.batch_alter_table("messages") as batch:
        batch.drop_column("parts_sent")
        batch.drop_column("attempted_at")
