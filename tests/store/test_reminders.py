"""Each SLA reminder is claimed once, however many schedulers try."""
from __future__ import annotations

import pytest

from bot.store.db import session_scope
from bot.store.reminders import claim_reminder, last_digest, record_digest
from tests.store.factories import T0, make_conversation, make_ticket, race


def test_claim_once_per_kind(session):
    citizen, conversation = make_conversation(session)
    ticket = make_ticket(session, conversation, citizen)
    assert claim_reminder(session, ticket.id, "r50") is True
    assert claim_reminder(session, ticket.id, "r50") is False
    assert claim_reminder(session, ticket.id, "r80") is True
    with pytest.raises(ValueError, match="kind"):
        claim_reminder(session, ticket.id, "r99")


def test_racing_schedulers_claim_once(sessions):
    with session_scope(sessions) as session:
        citizen, conversation = make_conversation(session)
        ticket_id = make_ticket(session, conversation, citizen).id

    def claim(_):
        with session_scope(sessions) as session:
            return claim_reminder(session, ticket_id, "breach")

    assert sorted(race(claim)) == [False] * 9 + [True]


def test_last_digest(session):
    assert last_digest(session, "kesra") is None
    record_digest(session, "kesra", T0, T0.replace(hour=3), at=T0.replace(hour=3))
    newer = record_digest(session, "kesra", T0.replace(hour=3), T0.replace(hour=4), at=T0.replace(hour=4))
    record_digest(session, "dukcapil", T0, T0.replace(hour=5), at=T0.replace(hour=5))
    assert last_digest(session, "kesra").id == newer.id
