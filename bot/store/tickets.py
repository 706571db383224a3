"""Tickets: numbers, idempotent creation from a draft, lookups, and the event trail."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, object_session

from bot.store.models import (
    ACTOR_KINDS,
    DEFAULT_AGENCY,
    IDENTITY_MODES,
    TICKET_KINDS,
    TICKET_STATUSES,
    Citizen,
    Conversation,
    Officer,
    Ticket,
    TicketCounter,
    TicketEvent,
    utcnow,
)
from bot.store._sql import upsert_insert


#: Statuses whose SLA clock runs; closed tickets are done, waiting ones are paused.
CLOCK_RUNNING = ("new", "in_progress")
OPEN_STATUSES = tuple(s for s in TICKET_STATUSES if s != "closed")


def allocate_number(session: Session, prefix: str, at: datetime) -> str:
    """Return the next ticket number for ``prefix`` in ``at``'s month: "ADU-2611-0042".

    The month is read from ``at`` in its own timezone: pass the agency's local
    time. One upsert that takes the counter row's lock, so concurrent callers
    get distinct, gap-free numbers (a rolled-back caller's number is reused).
    """
    if not prefix or "-" in prefix:
        raise ValueError("prefix must be a non-empty code without '-', e.g. 'ADU'")
    period = at.strftime("%y%m")
    counters = TicketCounter.__table__
    stmt = upsert_insert(session, TicketCounter).values(prefix=prefix, period=period, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["prefix", "period"], set_={"last": counters.c.last + 1}
    ).returning(counters.c.last)
    last = session.execute(stmt).scalar_one()
    return f"{prefix}-{period}-{last:04d}"


def create_ticket(session: Session, *, conversation: Conversation, citizen: Citizen | None, draft_key: str,
                  kind: str, prefix: str, unit: str, sla_class: str, deadline_at: datetime,
                  opened_at: datetime, identity_mode: str = "named", reporter_name: str | None = None,
                  description: str = "", service_id: str | None = None, category: str | None = None,
                  place: str | None = None, location: dict[str, Any] | None = None, occurred: str | None = None,
                  details: dict[str, Any] | None = None, lang: str = "id",
                  agency_id: str | None = None) -> tuple[Ticket, bool]:
    """File the conversation's draft as a ticket of ``agency_id`` (default: the conversation's); (ticket, created).

    Idempotent on (conversation, draft_key): the same draft again, even from a
    racing job, returns the first ticket and False. An anonymous ticket keeps
    neither the citizen nor a name. ``opened_at`` in the agency's timezone
    numbers the ticket by the local month. Writes a public "created" event.
    """
    _check(kind, TICKET_KINDS, "kind")
    _check(identity_mode, IDENTITY_MODES, "identity_mode")
    if not draft_key:
        raise ValueError("draft_key is required")
    existing = _find_draft(session, conversation.id, draft_key)
    if existing is not None:
        return existing, False
    anonymous = identity_mode == "anonymous"
    try:
        # The savepoint takes the number back with the failed insert: no gap.
        with session.begin_nested():
            ticket = Ticket(
                agency_id=agency_id or conversation.agency_id,
                number=allocate_number(session, prefix, opened_at), kind=kind,
                conversation_id=conversation.id, citizen_id=None if anonymous or citizen is None else citizen.id,
                draft_key=draft_key, service_id=service_id, category=category, unit=unit, sla_class=sla_class,
                opened_at=opened_at, deadline_at=deadline_at, status="new", identity_mode=identity_mode,
                reporter_name=None if anonymous else reporter_name, description=description, place=place,
                location=location, occurred=occurred, details=details or {}, lang=lang, updated_at=utcnow(),
                next_check_at=opened_at,  # the first scan places its reminder points
            )
            session.add(ticket)
            session.flush()
    except IntegrityError:
        # Another job filed the same draft between our look and our insert.
        existing = _find_draft(session, conversation.id, draft_key)
        if existing is None:
            raise
        return existing, False
    add_event(session, ticket, "citizen", "created", public=True,
              data={"number": ticket.number, "unit": unit, "sla_class": sla_class, "kind": kind})
    return ticket, True


def _find_draft(session: Session, conversation_id: int, draft_key: str) -> Ticket | None:
    return session.scalars(
        select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.draft_key == draft_key)
    ).one_or_none()


def _check(value: str, allowed: tuple[str, ...], field: str) -> None:
    if value not in allowed:
        raise ValueError(f"{field} must be one of {', '.join(allowed)}, got {value!r}")


def get_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """Return the ticket with this id, or None."""
    return session.get(Ticket, ticket_id)


def get_ticket_by_number(session: Session, number: str, agency_id: str | None = None) -> Ticket | None:
    """Return the ticket with this number (case and surrounding spaces ignored), or None.

    With ``agency_id``, another agency's ticket is None too: an officer never sees it.
    """
    query = select(Ticket).where(Ticket.number == number.strip().upper())
    if agency_id is not None:
        query = query.where(Ticket.agency_id == agency_id)
    return session.scalars(query).one_or_none()


def get_ticket_for_conversation(session: Session, number: str, conversation_id: int) -> Ticket | None:
    """Return the ticket with this number only if it was filed from this conversation."""
    ticket = get_ticket_by_number(session, number)
    return ticket if ticket is not None and ticket.conversation_id == conversation_id else None


def list_tickets_for_conversation(session: Session, conversation_id: int, open_only: bool = False) -> list[Ticket]:
    """Return the conversation's tickets, newest first."""
    query = select(Ticket).where(Ticket.conversation_id == conversation_id)
    if open_only:
        query = query.where(Ticket.status != "closed")
    return list(session.scalars(query.order_by(Ticket.opened_at.desc(), Ticket.id.desc())))


def list_tickets(session: Session, units: Iterable[str], status: str | Iterable[str] | None = None,
                 assignee_id: int | None = None, overdue_at: datetime | None = None,
                 agency_id: str = DEFAULT_AGENCY) -> list[Ticket]:
    """Return the agency's units' tickets, earliest deadline first.

    ``overdue_at``: only open tickets whose deadline is before that moment.
    """
    query = select(Ticket).where(Ticket.agency_id == agency_id, Ticket.unit.in_(list(units)))
    if status is not None:
        statuses = [status] if isinstance(status, str) else list(status)
        query = query.where(Ticket.status.in_(statuses))
    if assignee_id is not None:
        query = query.where(Ticket.assignee_id == assignee_id)
    if overdue_at is not None:
        query = query.where(Ticket.status != "closed", Ticket.deadline_at < overdue_at)
    return list(session.scalars(query.order_by(Ticket.deadline_at, Ticket.id)))


def add_event(session: Session, ticket: Ticket, actor_kind: str, action: str, actor_id: int | None = None,
              text: str | None = None, public: bool = False, data: dict[str, Any] | None = None,
              at: datetime | None = None) -> TicketEvent:
    """Append an event to the ticket's trail; a public event with text becomes its public update."""
    _check(actor_kind, ACTOR_KINDS, "actor_kind")
    at = at or utcnow()
    event = TicketEvent(ticket_id=ticket.id, agency_id=ticket.agency_id, at=at, actor_kind=actor_kind, actor_id=actor_id, action=action,
                        public=public, text=text, data=data or {})
    session.add(event)
    if public and text:
        ticket.last_public_update = text
        ticket.last_public_update_at = at
    ticket.updated_at = at
    session.flush()
    return event


def set_status(session: Session, ticket: Ticket, status: str, actor_kind: str = "system",
               actor_id: int | None = None, text: str | None = None, public: bool = False) -> TicketEvent | None:
    """Move the ticket to ``status`` and record it; None if it was there already."""
    _check(status, TICKET_STATUSES, "status")
    previous = ticket.status
    if previous == status:
        return None
    at = utcnow()
    ticket.status = status
    ticket.closed_at = at if status == "closed" else None
    # A running clock is looked at again at once (its deadline may have moved while it waited).
    ticket.next_check_at = at if status in CLOCK_RUNNING else None
    action = "closed" if status == "closed" else "reopened" if previous == "closed" else "status_changed"
    return add_event(session, ticket, actor_kind, action, actor_id=actor_id, text=text, public=public,
                     data={"from": previous, "to": status}, at=at)


def assign(session: Session, ticket: Ticket, officer: Officer, actor_kind: str = "system",
           actor_id: int | None = None) -> TicketEvent | None:
    """Give the ticket to ``officer``; None if it was theirs already."""
    previous = ticket.assignee_id
    if previous == officer.id:
        return None
    ticket.assignee_id = officer.id
    return add_event(session, ticket, actor_kind, "reassigned" if previous else "assigned", actor_id=actor_id,
                     data={"from": previous, "to": officer.id})


def reclassify(session: Session, ticket: Ticket, sla_class: str, deadline_at: datetime,
               actor: Officer | None = None) -> TicketEvent | None:
    """Change the ticket's SLA class and deadline (by ``actor``, or the system); None if unchanged."""
    if ticket.sla_class == sla_class and ticket.deadline_at == deadline_at:
        return None
    data = {"from": ticket.sla_class, "to": sla_class,
            "deadline_from": ticket.deadline_at.isoformat(), "deadline_to": deadline_at.isoformat()}
    ticket.sla_class = sla_class
    ticket.deadline_at = deadline_at
    if ticket.status in CLOCK_RUNNING:
        ticket.next_check_at = utcnow()  # the reminder points moved with the deadline
    return add_event(session, ticket, "officer" if actor else "system", "reclassified",
                     actor_id=actor.id if actor else None, data=data)


def digest_tickets(session: Session, unit: str, since: datetime, now: datetime,
                   agency_id: str = DEFAULT_AGENCY) -> list[Ticket]:
    """The agency's unit's tickets opened in [since, now) and those still open, by number.

    Two queries on the (agency, unit, opened_at) and (agency, unit, status) indexes: one ``OR`` over
    both would read every ticket the unit ever had.
    """
    mine = (Ticket.agency_id == agency_id, Ticket.unit == unit)
    recent = select(Ticket).where(*mine, Ticket.opened_at >= since, Ticket.opened_at < now)
    still_open = select(Ticket).where(*mine, Ticket.status.in_(OPEN_STATUSES), Ticket.opened_at < now)
    found = {t.id: t for query in (recent, still_open) for t in session.scalars(query)}
    return sorted(found.values(), key=lambda t: t.number)


def tickets_to_check(session: Session, now: datetime, limit: int = 500) -> list[int]:
    """Ids of running tickets whose next SLA point is due by ``now``, the most overdue first (indexed)."""
    return list(session.scalars(
        select(Ticket.id).where(Ticket.next_check_at <= now, Ticket.status.in_(CLOCK_RUNNING))
        .order_by(Ticket.next_check_at, Ticket.id).limit(limit)))


def schedule_check(session: Session, ticket_id: int, at: datetime | None) -> None:
    """Set when the SLA watch looks at the ticket next (None: not until its status changes)."""
    session.execute(update(Ticket).where(Ticket.id == ticket_id).values(next_check_at=at))


def events_for(ticket: Ticket, session: Session | None = None, public_only: bool = False) -> list[TicketEvent]:
    """Return the ticket's events, oldest first (``session`` defaults to the ticket's own)."""
    session = session or object_session(ticket)
    if session is None:
        raise ValueError("ticket is not attached to a session; pass session=")
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)
    if public_only:
        query = query.where(TicketEvent.public.is_(True))
    return list(session.scalars(query.order_by(TicketEvent.at, TicketEvent.id)))
