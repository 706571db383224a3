"""Agencies as data: every conversation, ticket, event, evidence, officer, reminder claim and digest row
carries its agency; a conversation remembers its channel instance.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Today's rows all belong to the one pack the deployment served. Which one is read, in this order, from
``config.attributes["agency"]`` (set by ``bot.store.db.upgrade(..., agency=)``, which ``loket db upgrade``,
``loket officers`` and ``loket demo`` fill from the settings' first agency: the first of ``AGENCIES``, else
``CONTENT_PACK``), from ``alembic -x agency=ID``, and last from
the ``CONTENT_PACK`` environment variable (default ``buleleng-kesra``). A conversation's channel instance
becomes its channel's default instance (``whatsapp``, ``telegram``, ``simulator``): the ids the
single-sender settings have always stood for (bot/tenancy/channels.py).

Ticket counters stay deployment-wide per prefix and so carry no agency: agencies may share ADU/KON/PMH and
a number still names one ticket, so ``status ADU-2612-0042`` needs no agency.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Sequence

import sqlalchemy as sa
from alembic import context, op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Tables whose rows get the agency: all of them are today's single pack's.
AGENCY_TABLES = ("conversations", "officers", "tickets", "ticket_events", "evidence", "sla_reminders", "digests")


def migrated_agency() -> str:
    """The agency today's rows move to (see the module docstring for the order)."""
    given = context.config.attributes.get("agency") or context.get_x_argument(as_dictionary=True).get("agency")
    return (given or os.environ.get("CONTENT_PACK") or "buleleng-kesra").strip()


@contextmanager
def _rebuilt(table: str):
    """``batch_alter_table`` that also works on SQLite for a table other tables reference.

    SQLite changes a column or constraint by rebuilding the table (copy, drop, rename), and dropping a
    table whose rows are referenced fails the foreign keys. So the rows are set aside first, the emptied
    table is rebuilt, and the rows go back; with the checks deferred to the commit, each row put back
    satisfies its references again.
    """
    if op.get_bind().dialect.name != "sqlite":
        with op.batch_alter_table(table) as batch:
            yield batch
        return
    bind = op.get_bind()
    op.execute("PRAGMA defer_foreign_keys = ON")
    hold = f"_loket_hold_{table}"
    op.execute(f"CREATE TEMP TABLE {hold} AS SELECT * FROM {table}")
    op.execute(f"DELETE FROM {table}")
    with op.batch_alter_table(table) as batch:
        yield batch
    names = ", ".join(c["name"] for c in sa.inspect(bind).get_columns(table))
    op.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {hold}")
    op.execute(f"DROP TABLE {hold}")


def upgrade() -> None:
    agency = migrated_agency()
    for table in AGENCY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("agency_id", sa.String(100), nullable=True))
        op.execute(sa.text(f"UPDATE {table} SET agency_id = :agency").bindparams(agency=agency))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("instance", sa.String(64), nullable=True))
    op.execute("UPDATE conversations SET instance = channel")
    for table in AGENCY_TABLES:
        with _rebuilt(table) as batch:
            batch.alter_column("agency_id", existing_type=sa.String(100), nullable=False)
            if table == "conversations":
                batch.alter_column("instance", existing_type=sa.String(64), nullable=False)
                batch.drop_constraint("uq_conversations_channel_chat_id", type_="unique")
                batch.create_unique_constraint("uq_conversations_channel_instance_chat_id",
                                               ["channel", "instance", "chat_id"])
                batch.create_index("ix_conversations_agency_id", ["agency_id"])
            elif table == "officers":
                batch.create_index("ix_officers_agency_id", ["agency_id"])
            elif table == "tickets":
                batch.drop_index("ix_tickets_unit_status")
                batch.drop_index("ix_tickets_unit_opened_at")
                batch.create_index("ix_tickets_agency_unit_status", ["agency_id", "unit", "status"])
                batch.create_index("ix_tickets_agency_unit_opened_at", ["agency_id", "unit", "opened_at"])
            elif table == "digests":
                batch.drop_index("ix_digests_unit_sent_at")
                batch.create_index("ix_digests_agency_unit_sent_at", ["agency_id", "unit", "sent_at"])


def downgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_index("ix_digests_agency_unit_sent_at")
        batch.create_index("ix_digests_unit_sent_at", ["unit", "sent_at"])
    with _rebuilt("tickets") as batch:
        batch.drop_index("ix_tickets_agency_unit_opened_at")
        batch.drop_index("ix_tickets_agency_unit_status")
        batch.create_index("ix_tickets_unit_status", ["unit", "status"])
        batch.create_index("ix_tickets_unit_opened_at", ["unit", "opened_at"])
    with op.batch_alter_table("officers") as batch:
        batch.drop_index("ix_officers_agency_id")
    with _rebuilt("conversations") as batch:
        batch.drop_index("ix_conversations_agency_id")
        batch.drop_constraint("uq_conversations_channel_instance_chat_id", type_="unique")
        batch.create_unique_constraint("uq_conversations_channel_chat_id", ["channel", "chat_id"])
        batch.drop_column("instance")
    for table in AGENCY_TABLES:
        with _rebuilt(table) as batch:
            batch.drop_column("agency_id")
