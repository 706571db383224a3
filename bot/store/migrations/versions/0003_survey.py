"""SKM survey responses: one per served transaction, anonymous, partial answers allowed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Written by hand, without importing ``bot.store.models``.
"""
from __future__ import annotations

from typing import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
KINDS = ("complaint", "consultation", "request", "other")


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency", sa.String(100), nullable=False),
        sa.Column("transaction_ref", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(100)),
        sa.Column("service_id", sa.String(100)),
        sa.Column("channel", sa.String(20), nullable=False),
        *(sa.Column(u, sa.SmallInteger()) for u in ELEMENTS),
        sa.Column("gender", sa.String(10)),
        sa.Column("age_band", sa.String(10)),
        sa.Column("education", sa.String(20)),
        sa.Column("occupation", sa.String(20)),
        sa.Column("suggestion", sa.Text()),
        sa.Column("lang", sa.String(10), nullable=False),
        sa.Column("completed", sa.Boolean(), nullable=False),
        sa.Column("created_at", when, nullable=False),
        sa.Column("updated_at", when, nullable=False),
        sa.Column("completed_at", when),
        sa.CheckConstraint(f"kind IN ({', '.join(repr(k) for k in KINDS)})", name="ck_survey_responses_kind"),
        *(sa.CheckConstraint(f"{u} BETWEEN 1 AND 4", name=f"ck_survey_responses_{u}") for u in ELEMENTS),
        sa.PrimaryKeyConstraint("id", name="pk_survey_responses"),
        sa.UniqueConstraint("transaction_ref", name="uq_survey_responses_transaction_ref"),
    )
    op.create_index("ix_survey_responses_agency_created_at", "survey_responses", ["agency", "created_at"])


def downgrade() -> None:
    op.drop_table("survey_responses")
