"""What the period reports read from the tickets: counts' raw facts only, never names, texts or numbers.

Each function owns its (read-only) transaction and returns plain rows, so
report assembly is pure. Only ``agency``'s tickets are read: a deployment serves
many agencies and each report is one agency's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.models import Conversation, Ticket, TicketEvent

#: Officer actions that answer the citizen: the first of them is the ticket's first response.
RESPONSES = ("replied", "answered", "info_requested")


@dataclass(frozen=True)
class TicketFacts:
    """One ticket as the reports count it: where it came from, its class, and its times."""

    kind: str
    channel: str
    category: str | None
    sla_class: str
    unit: str
    service_id: str | None
    opened_at: datetime
    deadline_at: datetime
    closed_at: datetime | None
    first_response_at: datetime | None


def list_ticket_facts(sessions: sessionmaker[Session], agency: str, start: datetime, end: datetime
                      ) -> list[TicketFacts]:
    """The tickets that matter to [start, end): opened before its end and not closed before its start."""
    first_response = (
        select(TicketEvent.ticket_id, func.min(TicketEvent.at).label("at"))
        .where(TicketEvent.actor_kind == "officer", TicketEvent.public.is_(True), TicketEvent.action.in_(RESPONSES))
        .group_by(TicketEvent.ticket_id)
        .subquery()
    )
    query = (
        select(Ticket.kind, Conversation.channel, Ticket.category, Ticket.sla_class, Ticket.unit, Ticket.service_id,
               Ticket.opened_at, Ticket.deadline_at, Ticket.closed_at, first_response.c.at)
        .join(Conversation, Conversation.id == Ticket.conversation_id)
        .outerjoin(first_response, first_response.c.ticket_id == Ticket.id)
        .where(and_(Ticket.agency_id == agency, Ticket.opened_at < end, or_(Ticket.closed_at.is_(None), Ticket.closed_at >= start)))
        .order_by(Ticket.opened_at, Ticket.id)
    )
    with session_scope(sessions) as session:
        return [TicketFacts(*row) for row in session.execute(query).all()]


def unit_ticket_times(sessions: sessionmaker, unit: str, start: datetime, now: datetime,
                      agency: str) -> list[tuple[datetime, datetime | None, datetime]]:
    """(opened, closed, deadline) of the unit's tickets opened by ``now`` and not closed before ``start``."""
    with session_scope(sessions) as session:
        return [tuple(row) for row in session.execute(
            select(Ticket.opened_at, Ticket.closed_at, Ticket.deadline_at)
            .where(Ticket.agency_id == agency, Ticket.unit == unit, Ticket.opened_at <= now,
                   or_(Ticket.closed_at.is_(None), Ticket.closed_at >= start)))]
