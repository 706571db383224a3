"""The chat transcript: outbound replies sent once by key, delivery states, inbound texts."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Message, utcnow
from bot.store._sql import upsert_insert

# How far along a message is; a status callback never moves it back (Twilio's
# callbacks can arrive out of order). failed/undelivered can follow "sent", not "delivered".
RANK = {"queued": 0, "sending": 1, "sent": 2, "failed": 3, "undelivered": 3, "delivered": 4, "read": 5}
# Twilio's other MessageStatus values, mapped onto ours.
TWILIO_STATUS = {"accepted": "queued", "scheduled": "queued", "canceled": "failed"}


def record_outbound(session: Session, *, key: str, conversation_id: int | None, body: str,
                    media: Any = None) -> tuple[Message, bool]:
    """Queue an outbound message under ``key`` (e.g. "reply:{inbound_id}:{i}"); (message, created).

    ``conversation_id`` is None for a message to an officer.
    The same key again returns the first message and False, also when two
    jobs race, so a job that runs twice sends nothing twice.
    """
    if not key:
        raise ValueError("key is required for an outbound message")
    message = get_message_by_key(session, key)
    if message is None:
        now = utcnow()
        new_id = session.execute(
            upsert_insert(session, Message)
            .values(key=key, conversation_id=conversation_id, direction="out", body=body, media=media,
                    delivery_state="queued", created_at=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(Message.__table__.c.id)
        ).scalar_one_or_none()
        message = get_message_by_key(session, key)
        assert message is not None
        if new_id is not None:
            return message, True
    if message.conversation_id != conversation_id:
        raise ValueError(f"message key {key!r} already belongs to another conversation")
    return message, False


def get_message(session: Session, message_id: int) -> Message | None:
    """Return the message with this id, or None."""
    return session.get(Message, message_id)


def get_message_by_key(session: Session, key: str) -> Message | None:
    """Return the message recorded under ``key``, or None."""
    return session.scalars(select(Message).where(Message.key == key)).one_or_none()


def mark_sending(session: Session, message_id: int) -> bool:
    """Mark the message as being sent; False if it was sent already (then do not send it again)."""
    return _advance(session, message_id, {"delivery_state": "sending"},
                    allowed_from=("queued", "sending", "failed"))


def mark_sent(session: Session, message_id: int, platform_id: str, at: datetime | None = None) -> bool:
    """Store the provider's id (several parts: "SM1,SM2") and mark the message sent.

    A status callback that got there first is not undone.
    """
    message = session.get(Message, message_id)
    if message is None:
        return False
    message.platform_id = platform_id
    message.sent_at = message.sent_at or at or utcnow()
    message.error_code = None
    if RANK[message.delivery_state] < RANK["sent"] or message.delivery_state == "failed":
        message.delivery_state = "sent"
    session.flush()
    return True


def mark_failed(session: Session, message_id: int, error_code: str | None, uncertain: bool = False) -> bool:
    """Mark a send as failed with the provider's error code (e.g. "63016").

    ``uncertain``: the platform may have taken it (no answer); the attempt stays
    recorded so the next try asks the platform first.
    """
    values: dict[str, Any] = {"delivery_state": "failed",
                              "error_code": None if error_code is None else str(error_code)[:20]}
    if not uncertain:
        values["attempted_at"] = None
    return _advance(session, message_id, values, allowed_from=("queued", "sending", "failed"))


def _advance(session: Session, message_id: int, values: dict[str, Any], allowed_from: tuple[str, ...]) -> bool:
    result = session.execute(
        update(Message)
        .where(Message.id == message_id, Message.delivery_state.in_(allowed_from))
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount == 1


def update_delivery(session: Session, platform_id: str, status: str, error_code: str | None = None) -> bool:
    """Apply a provider status callback; True if the message moved forward.

    Unknown message ids and statuses, and callbacks that would move a message
    backwards (delivered -> sent), are ignored. One conditional UPDATE, so two
    callbacks arriving together cannot undo each other.
    """
    state = TWILIO_STATUS.get(status.lower(), status.lower())
    if not platform_id or state not in RANK:
        return False
    behind = [s for s, rank in RANK.items() if rank < RANK[state]]
    values: dict[str, Any] = {"delivery_state": state, "updated_at": utcnow()}
    if state in ("failed", "undelivered"):
        values["error_code"] = None if error_code is None else str(error_code)
    result = session.execute(
        update(Message)
        .where(_has_platform_id(platform_id), Message.direction == "out", Message.delivery_state.in_(behind))
        .values(**values)
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount > 0


def _has_platform_id(platform_id: str):
    # A text sent in parts stores "SM1,SM2,SM3"; a callback names one part.
    column = Message.platform_id
    return or_(column == platform_id,
               column.startswith(platform_id + ",", autoescape=True),
               column.endswith("," + platform_id, autoescape=True),
               column.contains("," + platform_id + ",", autoescape=True))


def record_inbound_message(session: Session, conversation_id: int, body: str,
                           platform_id: str | None, media: Any = None) -> Message:
    """Add the citizen's message to the transcript; once per platform id, so reruns add nothing."""
    key = f"in:{conversation_id}:{platform_id}" if platform_id else None
    if key is not None:
        existing = get_message_by_key(session, key)
        if existing is not None:
            return existing
    now = utcnow()
    message = Message(conversation_id=conversation_id, direction="in", body=body, platform_id=platform_id,
                      key=key, delivery_state="delivered", media=media, created_at=now, updated_at=now)
    session.add(message)
    session.flush()
    return message


def list_messages(session: Session, conversation_id: int, limit: int = 50) -> list[Message]:
    """Return the conversation's latest messages, oldest first."""
    latest = session.scalars(
        select(Message).where(Message.conversation_id == conversation_id)
        .order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    ).all()
    return list(reversed(latest))



def find_by_platform_id(session: Session, platform_id: str) -> Message | None:
    """The outbound message the platform knows by ``platform_id`` (one of its comma-joined ids)."""
    return session.scalars(select(Message).where(_has_platform_id(platform_id), Message.direction == "out")).first()


def mark_attempt(session: Session, message_id: int, at: datetime | None = None) -> None:
    """Record that the message's next part is about to go out (claimed before the send)."""
    session.execute(
        update(Message).where(Message.id == message_id)
        .values(attempted_at=at or utcnow(), delivery_state="sending", updated_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )


def record_part(session: Session, message_id: int, platform_id: str, parts_total: int) -> Message:
    """Record one sent part's platform id (marked after the send); the last part marks the message sent."""
    message = session.get(Message, message_id, with_for_update=True)
    ids = [p for p in (message.platform_id or "").split(",") if p]
    ids.append(platform_id)
    message.platform_id = ",".join(ids)
    message.parts_sent = len(ids)
    message.attempted_at = None
    session.flush()
    if message.parts_sent >= parts_total:
        mark_sent(session, message_id, message.platform_id)
    return message
