"""Factories with overridable defaults, and a helper that runs one function in racing threads."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from sqlalchemy.orm import Session

from bot.store.models import Citizen, Conversation, Ticket
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation
from bot.store.tickets import create_ticket

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def make_conversation(session: Session, chat_id: str = "+6281234567890", channel: str = "whatsapp",
                      display_name: str | None = "Wayan") -> tuple[Citizen, Conversation]:
    citizen = get_or_create_citizen(session, channel, chat_id, display_name)
    return citizen, get_or_create_conversation(session, citizen, channel, chat_id)


def make_ticket(session: Session, conversation: Conversation, citizen: Citizen | None = None,
                draft_key: str = "d1", **kw: Any) -> Ticket:
    values: dict[str, Any] = dict(kind="complaint", prefix="ADU", unit="kesra", sla_class="normatif",
                                  opened_at=T0, deadline_at=T0 + timedelta(days=7), reporter_name="Wayan",
                                  description="Jalan rusak")
    values.update(kw)
    ticket, _ = create_ticket(session, conversation=conversation, citizen=citizen, draft_key=draft_key, **values)
    return ticket


def race(fn: Callable[[int], Any], n: int = 10) -> list[Any]:
    """Run ``fn(i)`` in ``n`` threads released together; return the results, re-raising any error."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = fn(i)
        except BaseException as exc:  # handed back to the test below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results
