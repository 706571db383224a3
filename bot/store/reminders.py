"""SLA reminders and digests that must happen once, however many schedulers run."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.models import DEFAULT_AGENCY, REMINDER_KINDS, Digest, SlaReminder, Ticket, utcnow
from bot.store._sql import upsert_insert


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
