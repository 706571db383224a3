"""SLA reminders and digests that must happen once, however many schedulers run."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.models import DEFAULT_AGENCY, REMINDER_KINDS, Citizen, Conversation, Digest, Officer, SlaReminder, Ticket, utcnow
from bot.store._sql import upsert_insert
from bot.store.officers import get_officer
from bot.store.snapshots import TicketSnapshot, ticket_snapshot
from bot.store.tickets import add_event, digest_tickets, schedule_check, tickets_to_check


def claim_reminder(session: Session, ticket_id: int, kind: str, at: datetime | None = None) -> bool:
    """Claim the ``kind`` reminder for a ticket; True only for the first claimer.

    Send the reminder only after a True, and commit the claim with whatever
    the reminder records, so a failed send rolls the claim back too.
    """
    if kind not in REMINDER_KINDS:
        raise ValueError(f"kind must be one of {', '.join(REMINDER_KINDS)}, got {kind!r}")
    agency_id = session.scalars(select(Ticket.agency_id).where(Ticket.id == ticket_id)).one()
    stmt = (
        upsert_insert(session, SlaReminder)
        .values(ticket_id=ticket_id, kind=kind, agency_id=agency_id, sent_at=at or utcnow())
        .on_conflict_do_nothing(index_elements=["ticket_id", "kind"])
        .returning(SlaReminder.__table__.c.ticket_id)
    )
    return session.execute(stmt).scalar_one_or_none() is not None


def record_digest(session: Session, unit: str, period_start: datetime, period_end: datetime,
                  at: datetime | None = None, agency_id: str = DEFAULT_AGENCY) -> Digest:
    """Record that the agency's unit's digest covering [period_start, period_end) went out."""
    digest = Digest(agency_id=agency_id, unit=unit, period_start=period_start, period_end=period_end,
                    sent_at=at or utcnow())
    session.add(digest)
    session.flush()
    return digest


def last_digest(session: Session, unit: str, agency_id: str = DEFAULT_AGENCY) -> Digest | None:
    """Return the agency's unit's most recent digest, or None before the first (units are per agency)."""
    return session.scalars(
        select(Digest).where(Digest.agency_id == agency_id, Digest.unit == unit).order_by(Digest.sent_at.desc(), Digest.id.desc()).limit(1)
    ).first()


# --- the SLA watch's steps, each one transaction of its own (workers/sla_watch.py) -------------------------


def claimed_kinds(session: Session, ticket_id: int) -> set[str]:
    """The reminder kinds already claimed for the ticket."""
    return set(session.scalars(select(SlaReminder.kind).where(SlaReminder.ticket_id == ticket_id)))


def due_ticket_ids(sessions: sessionmaker, now: datetime, limit: int) -> list[int]:
    """Ids of running tickets whose next SLA point is due by ``now`` (``tickets_to_check``)."""
    with session_scope(sessions) as session:
        return tickets_to_check(session, now, limit)


def get_ticket_reminders(sessions: sessionmaker, ticket_id: int) -> tuple[TicketSnapshot, set[str]] | None:
    """The ticket (with its assignee's name) and the reminder kinds claimed for it, or None."""
    with session_scope(sessions) as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            return None
        assignee = get_officer(session, ticket.assignee_id) if ticket.assignee_id else None
        return ticket_snapshot(ticket, assignee), claimed_kinds(session, ticket_id)


def schedule_next_reminder(sessions: sessionmaker, ticket_id: int, points: dict[str, datetime],
                           not_before: datetime) -> None:
    """Look at the ticket again at its earliest point not yet claimed (never before ``not_before``);
    not at all when every point is claimed."""
    with session_scope(sessions) as session:
        claimed = claimed_kinds(session, ticket_id)
        left = [at for kind, at in points.items() if kind not in claimed]
        schedule_check(session, ticket_id, max(min(left), not_before) if left else None)


def take_reminder(sessions: sessionmaker, ticket_id: int, kind: str, at: datetime) -> bool:
    """Claim the reminder in a transaction of its own, committed before any send; True for the first claimer."""
    with session_scope(sessions) as session:
        return claim_reminder(session, ticket_id, kind, at=at)


def release_reminder(sessions: sessionmaker, ticket_id: int, kind: str) -> None:
    """Give a claim back after a failed send, so the next scan retries it."""
    with session_scope(sessions) as session:
        session.execute(delete(SlaReminder).where(SlaReminder.ticket_id == ticket_id, SlaReminder.kind == kind))


def record_reminder(sessions: sessionmaker, ticket_id: int, action: str, kind: str, at: datetime, **data) -> None:
    """Write the reminder that went out to the ticket's trail (a system event)."""
    with session_scope(sessions) as session:
        add_event(session, session.get(Ticket, ticket_id), "system", action, data={"kind": kind, **data}, at=at)


def citizen_contact(sessions: sessionmaker, ticket_id: int) -> tuple[int, str] | None:
    """(conversation id, language) to tell the ticket's citizen by, or None when their contact is gone."""
    with session_scope(sessions) as session:
        ticket = session.get(Ticket, ticket_id)
        convo = session.get(Conversation, ticket.conversation_id)
        citizen = session.get(Citizen, convo.citizen_id) if convo is not None else None
        if convo is None or citizen is None or citizen.erased_at is not None:
            return None
        return convo.id, ticket.lang or convo.lang or "id"


# --- the daily digest's steps, each one transaction of its own (workers/digest.py) -------------------------


def list_digest_tickets(sessions: sessionmaker, unit: str, since: datetime, now: datetime,
                        agency_id: str = DEFAULT_AGENCY) -> list[TicketSnapshot]:
    """The unit's tickets a digest covers (``digest_tickets``), with their assignees' names."""
    with session_scope(sessions) as session:
        tickets = digest_tickets(session, unit, since, now, agency_id)
        officer_ids = {t.assignee_id for t in tickets if t.assignee_id}
        officers = ({o.id: o for o in session.scalars(select(Officer).where(Officer.id.in_(officer_ids)))}
                    if officer_ids else {})
        return [ticket_snapshot(t, officers.get(t.assignee_id)) for t in tickets]


def digest_period_start(sessions: sessionmaker, unit: str, agency_id: str = DEFAULT_AGENCY) -> datetime | None:
    """Where the unit's next digest starts: the end of its last one, or None before the first."""
    with session_scope(sessions) as session:
        last = last_digest(session, unit, agency_id)
        return last.period_end if last is not None else None


def start_digest(sessions: sessionmaker, unit: str, now: datetime, first_since: datetime,
                 sent_already: Callable[[datetime], bool], agency_id: str = DEFAULT_AGENCY) -> tuple[int, datetime] | None:
    """Record the unit's digest up to ``now`` before it is sent: (digest id, where it starts), or None when
    ``sent_already(last.sent_at)`` says the last one is today's. The first digest starts at ``first_since``."""
    with session_scope(sessions) as session:
        last = last_digest(session, unit, agency_id)
        if last is not None and sent_already(last.sent_at):
            return None
        since = last.period_end if last is not None else first_since
        return record_digest(session, unit, since, now, at=now, agency_id=agency_id).id, since


def add_digest(sessions: sessionmaker, unit: str, since: datetime, now: datetime,
               agency_id: str = DEFAULT_AGENCY) -> int:
    """Record a digest of [since, now) sent now (``loket digest --now``); returns its id."""
    with session_scope(sessions) as session:
        return record_digest(session, unit, since, now, at=now, agency_id=agency_id).id


def forget_digest(sessions: sessionmaker, digest_id: int) -> None:
    """Take a digest's record back after its send failed, so it is sent again."""
    with session_scope(sessions) as session:
        session.execute(delete(Digest).where(Digest.id == digest_id))
