"""Ticket numbers, idempotent filing, conversation scoping, lists and the event trail."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.store.db import session_scope
from bot.store.models import Ticket, TicketCounter
from bot.store.officers import add_officer
from bot.store.tickets import (
    add_event,
    allocate_number,
    assign,
    create_ticket,
    events_for,
    get_ticket_by_number,
    get_ticket_for_conversation,
    list_tickets,
    list_tickets_for_conversation,
    reclassify,
    set_status,
)
from tests.store.factories import T0, make_conversation, make_ticket, race

WITA = ZoneInfo("Asia/Makassar")


def test_numbers_run_per_prefix_and_month(session):
    nov = datetime(2026, 11, 5, tzinfo=timezone.utc)
    dec = datetime(2026, 12, 1, tzinfo=timezone.utc)
    assert [allocate_number(session, "ADU", nov) for _ in range(3)] == \
        ["ADU-2611-0001", "ADU-2611-0002", "ADU-2611-0003"]
    assert allocate_number(session, "KON", nov) == "KON-2611-0001"
    assert allocate_number(session, "ADU", dec) == "ADU-2612-0001"
    assert allocate_number(session, "ADU", nov) == "ADU-2611-0004"


def test_number_month_is_the_local_one(session):
    # 30 Nov 17:00 UTC is already 1 December in Bali.
    at = datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc)
    assert allocate_number(session, "ADU", at.astimezone(WITA)) == "ADU-2612-0001"


def test_numbers_are_unique_under_a_race(sessions):
    def allocate(_):
        with session_scope(sessions) as session:
            return allocate_number(session, "ADU", T0)

    numbers = race(allocate)
    assert sorted(numbers) == [f"ADU-2611-{i:04d}" for i in range(1, 11)]


def test_create_ticket_is_idempotent_per_draft(session):
    citizen, conversation = make_conversation(session)
    first, created = create_ticket(session, conversation=conversation, citizen=citizen, draft_key="d1",
                                   kind="complaint", prefix="ADU", unit="kesra", sla_class="normatif",
                                   opened_at=T0, deadline_at=T0 + timedelta(days=7), reporter_name="Wayan",
                                   description="Jalan rusak", details={"rt": "03"})
    again, created_again = create_ticket(session, conversation=conversation, citizen=citizen, draft_key="d1",
                                         kind="complaint", prefix="ADU", unit="kesra", sla_class="normatif",
                                         opened_at=T0, deadline_at=T0 + timedelta(days=7))
    assert created and not created_again
    assert again.id == first.id and first.number == "ADU-2611-0001"
    assert first.status == "new" and first.details == {"rt": "03"} and first.citizen_id == citizen.id
    assert [e.action for e in events_for(first)] == ["created"]
    assert make_ticket(session, conversation, citizen, draft_key="d2").number == "ADU-2611-0002"


def test_create_ticket_under_a_race_files_one_ticket_without_gaps(sessions):
    with session_scope(sessions) as session:
        citizen, conversation = make_conversation(session)

    def file(_):
        with session_scope(sessions) as session:
            ticket, created = create_ticket(
                session, conversation=conversation, citizen=citizen, draft_key="race", kind="complaint",
                prefix="ADU", unit="kesra", sla_class="normatif", opened_at=T0, deadline_at=T0 + timedelta(days=7))
            return ticket.number, created

    results = race(file)
    assert sum(created for _, created in results) == 1
    assert {number for number, _ in results} == {"ADU-2611-0001"}
    with session_scope(sessions) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 1
        assert session.scalar(select(TicketCounter.last)) == 1  # losers' numbers were given back
        assert make_ticket(session, conversation, citizen, draft_key="next").number == "ADU-2611-0002"


def test_anonymous_tickets_keep_no_identity(session):
    citizen, conversation = make_conversation(session)
    ticket = make_ticket(session, conversation, citizen, identity_mode="anonymous", reporter_name="Wayan")
    assert ticket.citizen_id is None and ticket.reporter_name is None
    with pytest.raises(ValueError, match="identity_mode"):
        make_ticket(session, conversation, citizen, draft_key="x", identity_mode="secret")


def test_a_ticket_is_only_found_from_its_own_conversation(session):
    citizen, mine = make_conversation(session, "+6281111111111")
    other_citizen, theirs = make_conversation(session, "+6282222222222")
    ticket = make_ticket(session, mine, citizen)
    assert get_ticket_by_number(session, " adu-2611-0001 ").id == ticket.id
    assert get_ticket_for_conversation(session, ticket.number, mine.id).id == ticket.id
    assert get_ticket_for_conversation(session, ticket.number, theirs.id) is None
    assert get_ticket_for_conversation(session, "ADU-2611-9999", mine.id) is None
    assert list_tickets_for_conversation(session, theirs.id) == []
    newer = make_ticket(session, mine, citizen, draft_key="d2", opened_at=T0 + timedelta(hours=1))
    assert [t.id for t in list_tickets_for_conversation(session, mine.id)] == [newer.id, ticket.id]


def test_list_tickets_by_unit_status_assignee_and_deadline(session):
    citizen, conversation = make_conversation(session)
    officer = add_officer(session, name="Made", role="officer", units=["kesra"], telegram_user_id=1)
    soon = make_ticket(session, conversation, citizen, draft_key="a", deadline_at=T0 + timedelta(hours=3))
    later = make_ticket(session, conversation, citizen, draft_key="b", deadline_at=T0 + timedelta(days=5))
    other_unit = make_ticket(session, conversation, citizen, draft_key="c", unit="dukcapil")
    closed = make_ticket(session, conversation, citizen, draft_key="d", deadline_at=T0 + timedelta(hours=1))
    set_status(session, closed, "closed", actor_kind="officer", actor_id=officer.id)
    assign(session, later, officer)

    ids = lambda tickets: [t.id for t in tickets]  # noqa: E731
    assert ids(list_tickets(session, ["kesra"])) == [closed.id, soon.id, later.id]
    assert ids(list_tickets(session, ["kesra", "dukcapil"], status="new")) == [soon.id, later.id, other_unit.id]
    assert ids(list_tickets(session, ["kesra"], status=["closed"])) == [closed.id]
    assert ids(list_tickets(session, ["kesra"], assignee_id=officer.id)) == [later.id]
    assert ids(list_tickets(session, ["kesra"], overdue_at=T0 + timedelta(hours=4))) == [soon.id]


def test_events_status_assignment_and_reclassification(session):
    citizen, conversation = make_conversation(session)
    made = add_officer(session, name="Made", role="officer", units=["kesra"], telegram_user_id=1)
    ketut = add_officer(session, name="Ketut", role="supervisor", units=["kesra"], telegram_user_id=2)
    ticket = make_ticket(session, conversation, citizen)

    assert assign(session, ticket, made).action == "assigned"
    assert assign(session, ticket, made) is None
    assert assign(session, ticket, ketut, actor_kind="officer", actor_id=ketut.id).action == "reassigned"
    assert set_status(session, ticket, "in_progress").action == "status_changed"
    assert set_status(session, ticket, "in_progress") is None
    new_deadline = T0 + timedelta(days=20)
    event = reclassify(session, ticket, "tidak_berkadar_pengawasan", new_deadline, actor=ketut)
    assert event.actor_id == ketut.id and event.data["from"] == "normatif"
    assert ticket.deadline_at == new_deadline
    add_event(session, ticket, "officer", "replied", actor_id=made.id, text="Sedang ditinjau", public=True)
    add_event(session, ticket, "officer", "noted", actor_id=made.id, text="internal note")
    assert ticket.last_public_update == "Sedang ditinjau"
    closing = set_status(session, ticket, "closed", actor_kind="officer", actor_id=made.id, text="Selesai",
                         public=True)
    assert closing.action == "closed" and ticket.closed_at is not None
    assert set_status(session, ticket, "in_progress").action == "reopened" and ticket.closed_at is None

    actions = [e.action for e in events_for(ticket)]
    assert actions == ["created", "assigned", "reassigned", "status_changed", "reclassified", "replied",
                       "noted", "closed", "reopened"]
    assert [e.action for e in events_for(ticket, public_only=True)] == ["created", "replied", "closed"]
    with pytest.raises(ValueError, match="status"):
        set_status(session, ticket, "done")
    with pytest.raises(ValueError, match="actor_kind"):
        add_event(session, ticket, "robot", "noted")
