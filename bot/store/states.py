"""Each chat's conversation state kept in SQL as well, so a Redis restart does not lose a draft."""
from __future__ import annotations

import functools
import hashlib
from datetime import timedelta
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.orm import Session

from bot.store.models import ConversationState, utcnow
from bot.store._sql import dialect_of, insert_for
from bot.store.hot import run


def _hash(chat: str) -> str:
    return hashlib.sha256(chat.encode()).hexdigest()


@functools.cache
def _save(dialect: str):
    stmt = insert_for(dialect, ConversationState).values(chat_hash=bindparam("p_hash"), state=bindparam("p_state"),
                                                          updated_at=bindparam("p_now"))
    return stmt.on_conflict_do_update(index_elements=["chat_hash"],
                                      set_={"state": stmt.excluded.state, "updated_at": stmt.excluded.updated_at})


def save_state(session: Session, chat: str, state: dict[str, Any]) -> None:
    """Keep ``state`` as the chat's latest (one upsert)."""
    run(session, _save(dialect_of(session)), {"p_hash": _hash(chat), "p_state": state,
                                              "p_now": utcnow()})


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
