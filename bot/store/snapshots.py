"""Plain, read-only copies of the rows a pure decision reads (``flows/officer_commands.py``).

No SQLAlchemy here: a snapshot crosses from storage into ``flows/`` and back
out as changes, so a decision never touches a session or lazy-loads a row.
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


def conversation_snapshot(convo) -> ConversationSnapshot:
    """The snapshot of a ``Conversation`` row."""
    return ConversationSnapshot(id=convo.id, channel=convo.channel, instance=convo.instance or convo.channel,
                                chat_id=convo.chat_id, agency_id=convo.agency_id, lang=convo.lang or "id",
                                last_inbound_at=convo.last_inbound_at, citizen_id=convo.citizen_id)


def officer_snapshot(officer) -> OfficerSnapshot:
    """The snapshot of an ``Officer`` row."""
    return OfficerSnapshot(id=officer.id, name=officer.name, role=officer.role, units=tuple(officer.units or ()),
                           agency_id=officer.agency_id, active=bool(officer.active),
                           telegram_user_id=officer.telegram_user_id, whatsapp=officer.whatsapp)


def ticket_snapshot(ticket, assignee=None) -> TicketSnapshot:
    """The snapshot of a ``Ticket`` row (``assignee``: its assignee's ``Officer`` row, for the name)."""
    return TicketSnapshot(id=ticket.id, number=ticket.number, agency_id=ticket.agency_id, status=ticket.status,
                          unit=ticket.unit, sla_class=ticket.sla_class, opened_at=ticket.opened_at,
                          deadline_at=ticket.deadline_at, conversation_id=ticket.conversation_id,
                          lang=ticket.lang or "id", assignee_id=ticket.assignee_id,
                          assignee_name=assignee.name if assignee is not None else None, kind=ticket.kind,
                          category=ticket.category, service_id=ticket.service_id, identity_mode=ticket.identity_mode,
                          reporter_name=ticket.reporter_name, last_public_update=ticket.last_public_update,
                          description=ticket.description or "", place=ticket.place, occurred=ticket.occurred)
