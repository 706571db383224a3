"""A ticket as officers read it: the ticket, its evidence and its history, loaded in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.evidence import evidence_for
from bot.store.officers import get_officer
from bot.store.snapshots import TicketSnapshot, ticket_snapshot
from bot.store.tickets import events_for, get_ticket, list_tickets


@dataclass(frozen=True)
class EvidenceItem:
    id: int
    mime: str
    size: int
    sha256: str
    stored_path: str


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    actor_kind: str
    actor_name: str | None  # the officer's name; None for the citizen, the system or an unknown officer
    action: str
    text: str | None


@dataclass(frozen=True)
class TicketRecord:
    ticket: TicketSnapshot
    evidence: tuple[EvidenceItem, ...] = ()
    history: tuple[HistoryItem, ...] = ()


def _snapshot(session: Session, ticket) -> TicketSnapshot:
    return ticket_snapshot(ticket, get_officer(session, ticket.assignee_id) if ticket.assignee_id else None)


def get_ticket_record(sessions: sessionmaker, ticket_id: int, with_history: bool = False) -> TicketRecord | None:
    """The ticket with its evidence (and, asked for, its event trail with the officers' names), or None."""
    with session_scope(sessions) as session:
        ticket = get_ticket(session, ticket_id)
        if ticket is None:
            return None
        evidence = tuple(EvidenceItem(e.id, e.mime, e.size, e.sha256, e.stored_path) for e in evidence_for(ticket, session))
        history: list[HistoryItem] = []
        for event in events_for(ticket, session) if with_history else ():
            officer = (get_officer(session, event.actor_id)
                       if event.actor_kind not in ("citizen", "system") and event.actor_id else None)
            history.append(HistoryItem(event.at, event.actor_kind, officer.name if officer else None, event.action,
                                       event.text))
        return TicketRecord(_snapshot(session, ticket), evidence, tuple(history))


def list_unit_tickets(sessions: sessionmaker, units: Iterable[str], status: Iterable[str] | None = None,
                      assignee_id: int | None = None, overdue_at: datetime | None = None,
                      agency_id: str | None = None, limit: int | None = None) -> list[TicketSnapshot]:
    """The agency's units' tickets, earliest deadline first (``list_tickets``), with assignees' names."""
    with session_scope(sessions) as session:
        tickets = list_tickets(session, units, status=status, assignee_id=assignee_id, overdue_at=overdue_at,
                               agency_id=agency_id)
        return [_snapshot(session, t) for t in tickets[:limit]]
