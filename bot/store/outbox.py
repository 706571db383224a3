"""The outbox on a turn's hot path, in Core statements: claim replies by key, claim each part, record it.

The same rules as ``bot.store.messages`` (``record_outbound``, ``mark_attempt``, ``record_part``), without
loading ORM objects, so a claim, an attempt and a part's result can share one transaction with the rest
of the turn's rows. Nothing here commits: ``workers.delivery`` owns the transactions.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, and_, bindparam, case, cast, func, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Message, utcnow
from bot.store._sql import dialect_of, insert_for
from bot.store.hot import run
from bot.store.messages import RANK

DONE = ("sent", "delivered", "read")
_t = Message.__table__


@dataclass(frozen=True)
class Claim:
    """An outbound message by key: its id, whether it went already, and how far its parts got."""

    id: int
    done: bool = False
    parts_sent: int = 0
    attempted_at: datetime | None = None  # an earlier run's attempt, never answered: look it up first
    attempted_now: bool = False  # this claim also recorded its first part's attempt (``attempting``)


def claim_outbound(session: Session, *, key: str, conversation_id: int | None, body: str,
                   media: Any = None, attempting: bool = False) -> Claim:
    """The message under ``key``, queued now if new (one INSERT … ON CONFLICT DO NOTHING RETURNING).

    ``attempting``: a new message's first part goes out next, and the INSERT records that attempt too
    (what ``attempt`` would, one statement fewer). A key seen before (a job that runs again, or two
    racing) returns the first message's progress, and records nothing.
    """
    if not key:
        raise ValueError("key is required for an outbound message")
    now = utcnow()
    new_id = run(session, _claim(dialect_of(session)), {
        "p_key": key, "p_convo": conversation_id, "p_body": body, "p_media": media, "p_now": now,
        "p_state": "sending" if attempting else "queued", "p_attempted": now if attempting else None,
    }).scalar_one_or_none()
    if new_id is not None:
        return Claim(new_id, attempted_now=attempting)
    row = session.execute(select(_t.c.id, _t.c.conversation_id, _t.c.delivery_state, _t.c.parts_sent,
                                 _t.c.attempted_at).where(_t.c.key == key)).one()
    if row.conversation_id != conversation_id:
        raise ValueError(f"message key {key!r} already belongs to another conversation")
    return Claim(row.id, row.delivery_state in DONE, row.parts_sent or 0, row.attempted_at)


_ATTEMPT = (update(_t).where(_t.c.id == bindparam("p_id"))
            .values(attempted_at=bindparam("p_at"), delivery_state="sending", updated_at=bindparam("p_now")))


def attempt(session: Session, message_id: int, at: datetime | None = None) -> None:
    """Record that the message's next part is about to go out (claimed before the send)."""
    now = utcnow()
    run(session, _ATTEMPT, {"p_id": message_id, "p_at": at or now, "p_now": now})


def _part_sent():
    """One UPDATE for ``part_sent``: every SET reads the row as it was, under the row's lock."""
    ids, now = _t.c.platform_id, bindparam("p_now", type_=_t.c.updated_at.type)
    pid = cast(bindparam("p_pid"), Text)  # one type for both of its uses (PostgreSQL deduces one per use)
    empty = or_(ids.is_(None), ids == "")
    count = case((empty, 1), else_=func.length(ids) - func.length(func.replace(ids, ",", "")) + 2)  # ids after
    last = count >= bindparam("p_total")
    return (update(_t).where(_t.c.id == bindparam("p_id")).values(
        platform_id=case((empty, pid), else_=ids + "," + pid),
        parts_sent=count, attempted_at=None, updated_at=now,
        sent_at=case((last, func.coalesce(_t.c.sent_at, now)), else_=_t.c.sent_at),
        error_code=case((last, None), else_=_t.c.error_code),
        # A status callback that got there first is not undone.
        delivery_state=case((and_(last, _t.c.delivery_state.in_(_BEFORE_SENT + ("failed",))), "sent"),
                            else_=_t.c.delivery_state)))


_BEFORE_SENT = tuple(state for state, rank in RANK.items() if rank < RANK["sent"])
_PART_SENT = _part_sent()


def part_sent(session: Session, message_id: int, platform_id: str, parts_total: int) -> None:
    """Record one sent part's platform id; the last part marks the message sent (as ``record_part``)."""
    run(session, _PART_SENT, {"p_id": message_id, "p_pid": platform_id, "p_total": parts_total,
                              "p_now": utcnow()})


@functools.cache
def _claim(dialect: str):
    return (insert_for(dialect, Message)
            .values(key=bindparam("p_key"), conversation_id=bindparam("p_convo"), direction="out",
                    body=bindparam("p_body"), media=bindparam("p_media"), delivery_state=bindparam("p_state"),
                    attempted_at=bindparam("p_attempted", type_=_t.c.attempted_at.type), parts_sent=0,
                    created_at=bindparam("p_now"), updated_at=bindparam("p_now"))
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(_t.c.id))
