"""Evidence files (photos, documents) sent during a draft and attached to its ticket."""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, object_session

from bot.store.models import Conversation, Evidence, Ticket, utcnow


def create_evidence(session: Session, *, conversation_id: int, origin: str, origin_ref: str,
                    stored_path: str, mime: str, size: int, sha256: str,
                    file_name: str | None = None) -> Evidence:
    """Record a stored file for the conversation's open draft (no ticket yet)."""
    if size < 0:
        raise ValueError("size must not be negative")
    agency_id = session.scalars(select(Conversation.agency_id).where(Conversation.id == conversation_id)).one()
    evidence = Evidence(conversation_id=conversation_id, agency_id=agency_id, origin=origin, origin_ref=origin_ref,
                        stored_path=stored_path, mime=mime, size=size, sha256=sha256,
                        file_name=file_name, created_at=utcnow())
    session.add(evidence)
    session.flush()
    return evidence


def attach_evidence(session: Session, ids: Iterable[int], ticket: Ticket) -> list[int]:
    """Attach evidence to ``ticket`` and return the ids attached.

    Only the ticket's own conversation's evidence that is not attached yet is
    taken; any other id is skipped, so a forged id cannot pull in someone
    else's photo.
    """
    wanted = sorted(set(ids))
    if not wanted:
        return []
    attached = session.execute(
        update(Evidence)
        .where(Evidence.id.in_(wanted), Evidence.conversation_id == ticket.conversation_id,
               Evidence.ticket_id.is_(None))
        .values(ticket_id=ticket.id, agency_id=ticket.agency_id)
        .returning(Evidence.id)
        .execution_options(synchronize_session="fetch")
    ).scalars().all()
    return sorted(attached)


def list_unattached_evidence(session: Session, conversation_id: int) -> list[Evidence]:
    """Return the conversation's evidence not yet attached to a ticket (the open draft's)."""
    return list(session.scalars(
        select(Evidence).where(Evidence.conversation_id == conversation_id, Evidence.ticket_id.is_(None))
        .order_by(Evidence.id)
    ))


def evidence_for(ticket: Ticket, session: Session | None = None) -> list[Evidence]:
    """Return the ticket's evidence, oldest first (``session`` defaults to the ticket's own)."""
    session = session or _session_of(ticket)
    return list(session.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id).order_by(Evidence.id)))


def get_evidence(session: Session, evidence_id: int) -> Evidence | None:
    """Return the evidence with this id, or None."""
    return session.get(Evidence, evidence_id)


def _session_of(obj: object) -> Session:
    session = object_session(obj)
    if session is None:
        raise ValueError("object is not attached to a session; pass session=")
    return session
