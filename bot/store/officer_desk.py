"""What an officer's command reads and writes, each function one transaction of its own.

``decide_on_ticket`` loads the officer and the ticket as snapshots, lets a pure
decision (``flows/officer_commands.py``) choose the changes, and applies them in
the same transaction, so what was checked is what is written. Changes are
``(type, data)`` pairs (``Effect``s): ``assign``, ``set_status``, ``reclassify``,
``add_event`` and ``wait_for_citizen``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.models import Officer, Ticket
from bot.store.evidence import attach_evidence
from bot.store.officers import find_officer_by_telegram, find_officer_by_whatsapp, get_officer, officers_for_unit
from bot.store.snapshots import OfficerSnapshot, TicketSnapshot, officer_snapshot, ticket_snapshot
from bot.store.tickets import add_event, assign, get_ticket, get_ticket_by_number, reclassify, set_status

Decide = Callable[[OfficerSnapshot, "TicketSnapshot | None", "list[OfficerSnapshot]"], Any]


def find_active_officer(sessions: sessionmaker, channel: str, sender_id: str) -> OfficerSnapshot | None:
    """The active officer who writes from ``sender_id`` on ``channel`` (Telegram or WhatsApp), or None."""
    finders = {"telegram": find_officer_by_telegram, "whatsapp": find_officer_by_whatsapp}
    if channel not in finders:
        return None
    with session_scope(sessions) as session:
        officer = finders[channel](session, sender_id)
        return officer_snapshot(officer) if officer is not None and officer.active else None


def get_officer_snapshot(sessions: sessionmaker, officer_id: int) -> OfficerSnapshot | None:
    """Return the officer (active or not) as a snapshot, or None."""
    with session_scope(sessions) as session:
        officer = get_officer(session, officer_id)
        return officer_snapshot(officer) if officer is not None else None


def decide_on_ticket(sessions: sessionmaker, officer_id: int, number: str | None, decide: Decide,
                     with_unit_officers: bool = False) -> tuple[Any, OfficerSnapshot, TicketSnapshot | None]:
    """Load, decide, apply: ``decide(officer, ticket, unit_officers)`` returns a decision whose ``changes``
    are written to the ticket in this one transaction. Returns (decision, officer, ticket as read).

    The ticket is looked up in the officer's agency only (another agency's is None);
    ``unit_officers`` are the active officers of the ticket's unit when asked for.
    """
    with session_scope(sessions) as session:
        officer = get_officer(session, officer_id)
        me = officer_snapshot(officer)
        ticket = get_ticket_by_number(session, number, agency_id=officer.agency_id) if number else None
        assignee = get_officer(session, ticket.assignee_id) if ticket is not None and ticket.assignee_id else None
        snap = ticket_snapshot(ticket, assignee) if ticket is not None else None
        unit_officers = ([officer_snapshot(o) for o in officers_for_unit(session, ticket.unit, agency_id=ticket.agency_id)]
                         if with_unit_officers and ticket is not None else [])
        decision = decide(me, snap, unit_officers)
        if decision.changes:
            apply_officer_changes(session, ticket, officer, decision.changes)
        return decision, me, snap


def apply_officer_changes(session: Session, ticket: Ticket, officer: Officer, changes: Iterable) -> None:
    """Write ``changes`` made by ``officer`` to ``ticket``, in order, in the caller's transaction."""
    for change in changes:
        data = change.data
        if change.type == "assign":
            assign(session, ticket, get_officer(session, data["officer_id"]), "officer", officer.id)
        elif change.type == "set_status":
            set_status(session, ticket, data["status"], "officer", officer.id)
        elif change.type == "reclassify":
            reclassify(session, ticket, data["sla_class"], data["deadline_at"], actor=officer)
        elif change.type == "add_event":
            add_event(session, ticket, "officer", data["action"], actor_id=officer.id, text=data.get("text"),
                      public=bool(data.get("public")))
        elif change.type == "wait_for_citizen":
            ticket.details = {**(ticket.details or {}), "waiting_since": data["since"].isoformat()}
        else:
            raise ValueError(f"unknown officer change {change.type!r}")


def end_wait(ticket: Ticket, calendar, pause_while_waiting: bool, now: datetime) -> None:
    """The citizen answered: when the agency pauses the clock while waiting, push the deadline by the
    office time waited; forget when the wait began."""
    since = (ticket.details or {}).get("waiting_since")
    if not since or not pause_while_waiting:
        return
    waited = calendar.office_seconds_between(datetime.fromisoformat(since), now)
    if waited > 0:
        ticket.deadline_at = calendar.add_office_hours(ticket.deadline_at, waited / 3600)
    ticket.details = {k: v for k, v in (ticket.details or {}).items() if k != "waiting_since"}


def waiting_ticket_id(sessions: sessionmaker, conversation_id: int) -> int | None:
    """The conversation's ticket most recently set waiting for the citizen, or None."""
    with session_scope(sessions) as session:
        return session.scalars(select(Ticket.id).where(Ticket.conversation_id == conversation_id,
                                                       Ticket.status == "waiting_citizen")
                               .order_by(Ticket.updated_at.desc())).first()


def get_ticket_snapshot(sessions: sessionmaker, ticket_id: int) -> TicketSnapshot | None:
    """Return the ticket as a snapshot (with its assignee's name), or None."""
    with session_scope(sessions) as session:
        ticket = get_ticket(session, ticket_id)
        if ticket is None:
            return None
        return ticket_snapshot(ticket, get_officer(session, ticket.assignee_id) if ticket.assignee_id else None)


def record_citizen_answer(sessions: sessionmaker, ticket_id: int, body: str, evidence_ids: list[int], calendar,
                          pause_while_waiting: bool, now: datetime) -> OfficerSnapshot | None:
    """The citizen answered ``/minta``: keep their files as the ticket's evidence, record the answer,
    resume the clock (``end_wait``) and the work. Returns the assignee to tell, or None (tell the unit)."""
    with session_scope(sessions) as session:
        ticket = get_ticket(session, ticket_id)
        attach_evidence(session, evidence_ids, ticket)
        add_event(session, ticket, "citizen", "citizen_replied", text=body, public=False,
                  data={"evidence": evidence_ids})
        end_wait(ticket, calendar, pause_while_waiting, now)
        set_status(session, ticket, "in_progress", "citizen")
        assignee = get_officer(session, ticket.assignee_id) if ticket.assignee_id else None
        return officer_snapshot(assignee) if assignee is not None else None


def list_unit_officers(sessions: sessionmaker, unit: str, agency_id: str,
                       roles: Iterable[str] | None = None) -> list[OfficerSnapshot]:
    """The active officers of the agency's ``unit`` (optionally only ``roles``), as snapshots."""
    with session_scope(sessions) as session:
        return [officer_snapshot(o) for o in officers_for_unit(session, unit, roles=roles, agency_id=agency_id)]
