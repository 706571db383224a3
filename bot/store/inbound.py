"""Raw inbound events, recorded once per (channel, platform id) so retried webhooks drop out."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.store.models import InboundEvent, utcnow
from bot.store._sql import upsert_insert


def record_inbound(session: Session, *, channel: str, platform_id: str, chat_key: str,
                   payload: dict[str, Any], message: dict[str, Any]) -> int | None:
    """Save an inbound event and return its id; None when this delivery was recorded before.

    One INSERT … ON CONFLICT DO NOTHING RETURNING: of two concurrent
    deliveries exactly one gets an id, whoever commits first.
    """
    if not platform_id:
        raise ValueError("platform_id is required: it is how duplicate deliveries are found")
    stmt = (
        upsert_insert(session, InboundEvent)
        .values(channel=channel, platform_id=str(platform_id), chat_key=chat_key,
                received_at=utcnow(), payload=payload, message=message)
        .on_conflict_do_nothing(index_elements=["channel", "platform_id"])
        .returning(InboundEvent.__table__.c.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def record_unroutable(session: Session, *, channel: str, platform_id: str, address: str) -> int | None:
    """Record a delivery to a number or bot no instance serves, as already processed and without its payload.

    Nothing of the sender is kept (no chat key, no text): only which address was written to, so an operator
    can see that a number is reaching the deployment without being configured.
    """
    stmt = (
        upsert_insert(session, InboundEvent)
        .values(channel=channel, platform_id=str(platform_id), chat_key="unroutable", received_at=utcnow(),
                payload={"unroutable": True, "address": address[:64]}, message={}, processed_at=utcnow())
        .on_conflict_do_nothing(index_elements=["channel", "platform_id"])
        .returning(InboundEvent.__table__.c.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def get_inbound(session: Session, inbound_id: int) -> InboundEvent | None:
    """Return the inbound event with this id, or None."""
    return session.get(InboundEvent, inbound_id)


def mark_processed(session: Session, inbound_id: int, at: datetime | None = None) -> bool:
    """Mark the event processed; False if it was already (a job that runs twice)."""
    result = session.execute(
        update(InboundEvent)
        .where(InboundEvent.id == inbound_id, InboundEvent.processed_at.is_(None))
        .values(processed_at=at or utcnow())
    )
    return result.rowcount == 1


def unprocessed_id(session: Session, channel: str, platform_id: str) -> int | None:
    """The id of an earlier delivery of this event that no job has finished yet, or None."""
    from sqlalchemy import select
    return session.scalars(
        select(InboundEvent.id).where(InboundEvent.channel == channel, InboundEvent.platform_id == str(platform_id),
                                      InboundEvent.processed_at.is_(None))
    ).first()


def list_unprocessed(session: Session, received_before: datetime, limit: int = 500) -> list[tuple[int, str]]:
    """(id, chat key) of recorded events no job has finished, received before ``received_before``, oldest first."""
    from sqlalchemy import select
    rows = session.execute(
        select(InboundEvent.id, InboundEvent.chat_key)
        .where(InboundEvent.processed_at.is_(None), InboundEvent.received_at < received_before)
        .order_by(InboundEvent.id).limit(limit)
    )
    return [(r.id, r.chat_key) for r in rows]
