"""Raw inbound events, recorded once per (channel, platform id) so retried webhooks drop out."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bot.store.models import InboundEvent, utcnow
from bot.store._sql import upsert_insert
from bot.store.hot import run


# The webhook's one statement on PostgreSQL, as the driver runs it: no SQLAlchemy statement to build,
# compile, look up and wrap per request (that cost more than the rest of the webhook together).
_PG_INSERT = ("INSERT INTO inbound_events (channel, platform_id, chat_key, received_at, payload, message) "
              "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (channel, platform_id) DO NOTHING RETURNING id")


def save_inbound(engine: Engine, *, channel: str, platform_id: str, chat_key: str,
                 payload: dict[str, Any], message: dict[str, Any]) -> int | None:
    """``record_inbound`` as its own transaction, in one round trip where the database allows it.

    On PostgreSQL the one INSERT is autocommitted: when it returns, the row is committed (no BEGIN and
    COMMIT round trips). SQLite is in-process and keeps its ``BEGIN IMMEDIATE`` transaction.
    """
    if not platform_id:
        raise ValueError("platform_id is required: it is how duplicate deliveries are found")
    values = dict(channel=channel, platform_id=platform_id, chat_key=chat_key, payload=payload, message=message)
    if engine.dialect.name != "postgresql":
        with engine.begin() as conn:
            return record_inbound(conn, **values)
    return _insert_postgres(engine, (channel, str(platform_id), chat_key, utcnow(), payload, message))


def _insert_postgres(engine: Engine, params: tuple) -> int | None:
    """The INSERT on the pool's driver connection, committed on return.

    The intake engine (``bot.store.db.make_intake_engine``) skips the pool's pre-ping, a round trip per
    request: a connection the server dropped fails the INSERT instead, which is then run once more on a
    new connection. Running it twice is safe (ON CONFLICT DO NOTHING): if the first did commit, the
    second finds the row and returns None, and the caller treats it as the redelivery it then is.
    Driver errors leave as SQLAlchemy's, so an outage still answers 503 (webhooks/errors.py).
    """
    import psycopg
    from psycopg.types.json import Jsonb
    from sqlalchemy.exc import DBAPIError
    args = (*params[:4], Jsonb(params[4]), Jsonb(params[5]))
    for again in (True, False):
        try:
            fairy = engine.raw_connection()  # a refused connection raises the driver's error here
        except psycopg.Error as exc:
            raise DBAPIError.instance(_PG_INSERT, None, exc, psycopg.Error, hide_parameters=True) from exc
        driver = fairy.driver_connection
        try:
            with driver.cursor() as cursor:
                row = cursor.execute(_PG_INSERT, args).fetchone()
            if not driver.autocommit:
                driver.commit()
            return row[0] if row else None
        except psycopg.Error as exc:
            if driver.broken:
                fairy.invalidate()
                if again:
                    continue
            raise DBAPIError.instance(_PG_INSERT, None, exc, psycopg.Error, hide_parameters=True,
                                      connection_invalidated=driver.broken) from exc
        finally:
            fairy.close()
    raise AssertionError("unreachable")


def record_inbound(session: Session | Connection, *, channel: str, platform_id: str, chat_key: str,
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


_events = InboundEvent.__table__
_LOAD = select(_events.c.message, _events.c.chat_key, _events.c.processed_at).where(_events.c.id == bindparam("p_id"))
_MARK = (update(_events).where(_events.c.id == bindparam("p_id"), _events.c.processed_at.is_(None))
         .values(processed_at=bindparam("p_at")))


def load_inbound(session: Session, inbound_id: int):
    """The event's normalised message, chat key and processed time (not its raw payload), or None."""
    return run(session, _LOAD, {"p_id": inbound_id}).one_or_none()


def mark_processed(session: Session, inbound_id: int, at: datetime | None = None) -> bool:
    """Mark the event processed; False if it was already (a job that runs twice)."""
    return run(session, _MARK, {"p_id": inbound_id, "p_at": at or utcnow()}).rowcount == 1


def unprocessed_id(session: Session, channel: str, platform_id: str) -> int | None:
    """The id of an earlier delivery of this event that no job has finished yet, or None."""
    return session.scalars(
        select(InboundEvent.id).where(InboundEvent.channel == channel, InboundEvent.platform_id == str(platform_id),
                                      InboundEvent.processed_at.is_(None))
    ).first()


def list_unprocessed(session: Session, received_before: datetime, limit: int = 500) -> list[tuple[int, str]]:
    """(id, chat key) of recorded events no job has finished, received before ``received_before``, oldest first."""
    rows = session.execute(
        select(InboundEvent.id, InboundEvent.chat_key)
        .where(InboundEvent.processed_at.is_(None), InboundEvent.received_at < received_before)
        .order_by(InboundEvent.id).limit(limit)
    )
    return [(r.id, r.chat_key) for r in rows]
