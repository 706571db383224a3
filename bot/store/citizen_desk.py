"""What a citizen's effects read and write (file a ticket, look one up, their data), each one transaction.

The worker (``workers/effects.py``) words the answers; tickets come back as
snapshots (``bot.store.snapshots``), never as rows bound to a closed session.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import sessionmaker

from bot.store.db import session_scope
from bot.store.models import Citizen
from bot.store.citizens import erase_citizen, get_conversation, record_consent, set_conversation_agency
from bot.store.evidence import attach_evidence
from bot.store.messages import find_by_platform_id
from bot.store.snapshots import ConversationSnapshot, TicketSnapshot, conversation_snapshot, ticket_snapshot
from bot.store.states import load_state, save_state
from bot.store.tickets import (create_ticket, get_ticket_by_number, get_ticket_for_conversation,
                               list_tickets_for_conversation)


@dataclass(frozen=True)
class Filed:
    """A filed ticket: its snapshot and whether this call created it (False: the same draft again)."""
    ticket: TicketSnapshot
    created: bool


def conversation_agency(sessions: sessionmaker, conversation_id: int | None, default: str) -> str:
    """The agency the conversation is with now, or ``default`` when there is no such conversation."""
    with session_scope(sessions) as session:
        convo = get_conversation(session, conversation_id) if conversation_id else None
        return convo.agency_id if convo is not None else default


def get_conversation_snapshot(sessions: sessionmaker, conversation_id: int) -> ConversationSnapshot | None:
    """The conversation (its channel, chat, agency and window), or None."""
    with session_scope(sessions) as session:
        convo = get_conversation(session, conversation_id)
        return conversation_snapshot(convo) if convo is not None else None


def read_chat_state(sessions: sessionmaker, chat: str, max_age_seconds: int) -> dict | None:
    """The chat's state as last saved in SQL (``load_state``), or None."""
    with session_scope(sessions) as session:
        return load_state(session, chat, max_age_seconds)


def write_chat_state(sessions: sessionmaker, chat: str, state: dict) -> None:
    """Keep ``state`` as the chat's latest in SQL (``save_state``)."""
    with session_scope(sessions) as session:
        save_state(session, chat, state)


def find_relayed(sessions: sessionmaker, platform_id: str) -> tuple[dict, str, ConversationSnapshot] | None:
    """An outbound message relayed to a citizen, by the platform's id: (its relay record, its text, the
    conversation), or None when it is not a relay."""
    with session_scope(sessions) as session:
        row = find_by_platform_id(session, platform_id)
        relay = (row.media or {}).get("relay") if row is not None else None
        if relay is None or row.conversation_id is None:
            return None
        return relay, row.body, conversation_snapshot(get_conversation(session, row.conversation_id))


def closed_ticket_id(sessions: sessionmaker, number: str) -> int | None:
    """The id of the ticket with this number if it is closed, else None."""
    with session_scope(sessions) as session:
        ticket = get_ticket_by_number(session, number)
        return ticket.id if ticket is not None and ticket.status == "closed" else None


def move_conversation(sessions: sessionmaker, conversation_id: int, agency_id: str) -> None:
    """Make ``agency_id`` the conversation's agency (a front desk's citizen chose it)."""
    with session_scope(sessions) as session:
        set_conversation_agency(session, conversation_id, agency_id)


def file_ticket(sessions: sessionmaker, *, conversation_id: int, citizen_id: int, anonymous: bool,
                evidence: list[int], consent_at: datetime, **ticket: Any) -> Filed:
    """Record the citizen's consent and file the draft as a ticket (``create_ticket``'s fields in ``ticket``),
    with its evidence when new; idempotent on the draft key."""
    with session_scope(sessions) as session:
        citizen = session.get(Citizen, citizen_id)
        record_consent(session, citizen, consent_at)
        row, created = create_ticket(session, conversation=get_conversation(session, conversation_id),
                                     citizen=None if anonymous else citizen, **ticket)
        if created:
            attach_evidence(session, evidence, row)
        return Filed(ticket_snapshot(row), created)


def find_conversation_ticket(sessions: sessionmaker, number: str, conversation_id: int) -> TicketSnapshot | None:
    """The ticket with this number if this conversation filed it, else None (nothing leaks across chats)."""
    with session_scope(sessions) as session:
        ticket = get_ticket_for_conversation(session, number, conversation_id)
        return ticket_snapshot(ticket) if ticket is not None else None


def list_conversation_tickets(sessions: sessionmaker, conversation_id: int) -> list[TicketSnapshot]:
    """The conversation's tickets, newest first."""
    with session_scope(sessions) as session:
        return [ticket_snapshot(t) for t in list_tickets_for_conversation(session, conversation_id)]


def citizen_consent_at(sessions: sessionmaker, citizen_id: int) -> datetime | None:
    """When the citizen agreed to their data being stored, or None."""
    with session_scope(sessions) as session:
        citizen = session.get(Citizen, citizen_id)
        return citizen.consent_at if citizen is not None else None


def erase_citizen_data(sessions: sessionmaker, citizen_id: int, at: datetime) -> None:
    """Erase the citizen's personal data (``erase_citizen``); their tickets stay as the agency's record."""
    with session_scope(sessions) as session:
        erase_citizen(session, session.get(Citizen, citizen_id), at=at)
