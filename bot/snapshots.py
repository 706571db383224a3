"""Plain, read-only copies of the rows a pure decision reads (``flows/officer_commands.py``).

Built by ``bot/store/snapshots.py`` from the rows; nothing here knows SQLAlchemy,
so a snapshot crosses into ``flows/`` and a decision never touches a session.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OfficerSnapshot:
    id: int
    name: str
    role: str
    units: tuple[str, ...]
    agency_id: str
    active: bool = True
    telegram_user_id: int | None = None  # where the officer reads the bot (workers/officer_send.py)
    whatsapp: str | None = None


@dataclass(frozen=True)
class TicketSnapshot:
    id: int
    number: str
    agency_id: str
    status: str
    unit: str
    sla_class: str
    opened_at: datetime
    deadline_at: datetime
    conversation_id: int
    lang: str = "id"
    assignee_id: int | None = None
    assignee_name: str | None = None
    kind: str = "complaint"
    category: str | None = None
    service_id: str | None = None
    identity_mode: str = "named"
    reporter_name: str | None = None  # personal data: never logged
    last_public_update: str | None = None
    description: str = ""
    place: str | None = None
    occurred: str | None = None


@dataclass(frozen=True)
class ConversationSnapshot:
    id: int
    channel: str
    instance: str  # the channel instance the citizen wrote to (their agency's number or bot)
    chat_id: str  # personal data: never logged
    agency_id: str
    lang: str = "id"
    last_inbound_at: datetime | None = None
    citizen_id: int | None = None
