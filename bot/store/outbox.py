"""The outbox on a turn's hot path, in Core statements: claim replies by key, claim each part, record it.

The same rules as ``bot.store.messages`` (``record_outbound``, ``mark_attempt``, ``record_part``), without
loading ORM objects, so a claim, an attempt and a part's result can share one transaction with the rest
of the turn's rows. Nothing here commits: ``workers.delivery`` owns the transactions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import Message, utcnow
from bot.store._sql import upsert_insert
from bot.store.messages import RANK

DONE = ("sent", "delivered", "read")
_t = Message.__table__


@dataclass(frozen=True)
class Claim:
    """An outbound message by key: its id, whether it went already, and how far its parts got."""

    id: int
    done: bool = False
    parts_sent: int = 0
    attempted_at: datetime | None = None


def claim_outbound(session: Session, *, key: str, conversation_id: int | None, body: str,
                   media: Any = None) -> Claim:
    """The message under ``key``, queued now if new (one INSERT … ON CONFLICT DO NOTHING RETURNING).

    A key seen before (a job that runs again, or two racing) returns the first message's progress.
    """
    if not key:
        raise ValueError("key is required for an outbound message")
    now = utcnow()
    new_id = session.execute(
        upsert_insert(session, Message)
        .values(key=key, conversation_id=conversation_id, direction="out", body=body, media=media,
                delivery_state="queued", parts_sent=0, created_at=now, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(_t.c.id)
    ).scalar_one_or_none()
    if new_id is not None:
        return Claim(new_id)
    row = session.execute(select(_t.c.id, _t.c.conversation_id, _t.c.delivery_state, _t.c.parts_sent,
                                 _t.c.attempted_at).where(_t.c.key == key)).one()
    if row.conversation_id != conversation_id:
        raise ValueError(f"message key {key!r} already belongs to another conversation")
    return Claim(row.id, row.delivery_state in DONE, row.parts_sent or 0, row.attempted_at)


def attempt(session: Session, message_id: int, at: datetime | None = None) -> None:
    """Record that the message's next part is about to go out (claimed before the send)."""
    now = utcnow()
    session.execute(update(_t).where(_t.c.id == message_id)
                    .values(attempted_at=at or now, delivery_state="sending", updated_at=now))


def part_sent(session: Session, message_id: int, platform_id: str, parts_total: int) -> None:
    """Record one sent part's platform id; the last part marks the message sent (as ``record_part``)."""
    row = session.execute(select(_t.c.platform_id, _t.c.delivery_state, _t.c.sent_at)
                          .where(_t.c.id == message_id).with_for_update()).one()
    ids = [p for p in (row.platform_id or "").split(",") if p] + [platform_id]
    now = utcnow()
    values: dict[str, Any] = {"platform_id": ",".join(ids), "parts_sent": len(ids), "attempted_at": None,
                              "updated_at": now}
    if len(ids) >= parts_total:
        values.update(sent_at=row.sent_at or now, error_code=None)
        # A status callback that got there first is not undone.
        if RANK[row.delivery_state] < RANK["sent"] or row.delivery_state == "failed":
            values["delivery_state"] = "sent"
    session.execute(update(_t).where(_t.c.id == message_id).values(**values))
