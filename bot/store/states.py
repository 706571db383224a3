"""Each chat's conversation state kept in SQL as well, so a Redis restart does not lose a draft."""
from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.store.models import ConversationState, utcnow
from bot.store._sql import upsert_insert


def _hash(chat: str) -> str:
    return hashlib.sha256(chat.encode()).hexdigest()


def save_state(session: Session, chat: str, state: dict[str, Any]) -> None:
    """Keep ``state`` as the chat's latest (one upsert)."""
    now = utcnow()
    stmt = upsert_insert(session, ConversationState).values(chat_hash=_hash(chat), state=state, updated_at=now)
    session.execute(stmt.on_conflict_do_update(index_elements=["chat_hash"], set_={"state": state, "updated_at": now}))


def load_state(session: Session, chat: str, max_age_seconds: int) -> dict[str, Any] | None:
    """The chat's latest state if saved within ``max_age_seconds`` (the same quiet period Redis keeps it).

    A state that asked to be kept longer (``keep_seconds``: an invitation waiting for its answer) is.
    """
    row = session.get(ConversationState, _hash(chat))
    if row is None:
        return None
    keep = max(max_age_seconds, int((row.state or {}).get("keep_seconds") or 0))
    if utcnow() - row.updated_at > timedelta(seconds=keep):
        return None
    return row.state
