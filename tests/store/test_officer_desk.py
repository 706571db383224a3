"""Load, decide, apply in one transaction: what a pure decision chose is written, or nothing is."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.store.db import session_scope
from bot.store.officer_desk import decide_on_ticket
from bot.store.officers import add_officer
from bot.store.tickets import events_for, get_ticket
from bot.types import Effect
from tests.store.factories import T0, make_conversation, make_ticket


@dataclass
class Decided:
    changes: list = field(default_factory=list)


@pytest.fixture
def desk(sessions):
    with session_scope(sessions) as s:
        budi = add_officer(s, name="Budi", role="officer", units=["kesra"], telegram_user_id=1)
        sari = add_officer(s, name="Sari", role="supervisor", units=["kesra"], telegram_user_id=2)
        other = add_officer(s, name="Made", role="officer", units=["kesra"], telegram_user_id=3, agency_id="lain")
        citizen, convo = make_conversation(s)
        ticket = make_ticket(s, convo, citizen)
        return {"budi": budi.id, "sari": sari.id, "other": other.id, "ticket": ticket.id, "number": ticket.number}


def test_the_changes_are_written_in_order_and_the_ticket_is_returned_as_read(sessions, desk):
    seen = {}

    def decide(officer, ticket, unit_officers):
        seen.update(officer=officer, ticket=ticket, unit=[o.name for o in unit_officers])
        return Decided([Effect("assign", {"officer_id": desk["sari"]}), Effect("set_status", {"status": "in_progress"}),
                        Effect("add_event", {"action": "replied", "text": "Sudah dicek", "public": True}),
                        Effect("wait_for_citizen", {"since": T0})])

    decision, officer, ticket = decide_on_ticket(sessions, desk["budi"], desk["number"], decide, with_unit_officers=True)
    assert officer.name == "Budi" and ticket.status == "new" and ticket.assignee_id is None
    assert seen["unit"] == ["Budi", "Sari"]  # the ticket's agency's officers only
    with sessions() as s:
        row = get_ticket(s, desk["ticket"])
        assert (row.status, row.assignee_id, row.last_public_update) == ("in_progress", desk["sari"], "Sudah dicek")
        assert row.details["waiting_since"] == T0.isoformat()
        trail = [(e.action, e.actor_id) for e in events_for(row, s)]
    assert trail[1:] == [("assigned", desk["budi"]), ("status_changed", desk["budi"]), ("replied", desk["budi"])]


def test_a_failing_change_writes_nothing(sessions, desk):
    def decide(officer, ticket, unit_officers):
        return Decided([Effect("set_status", {"status": "closed"}), Effect("teleport", {})])

    with pytest.raises(ValueError, match="teleport"):
        decide_on_ticket(sessions, desk["budi"], desk["number"], decide)
    with sessions() as s:
        assert get_ticket(s, desk["ticket"]).status == "new"


def test_another_agencys_ticket_is_not_found(sessions, desk):
    found = []
    decide_on_ticket(sessions, desk["other"], desk["number"], lambda o, t, u: found.append(t) or Decided())
    assert found == [None]
