"""Migration 0005: a single-pack database's rows move to the agency the deployment serves."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import MetaData, insert, select, text

from bot.store.db import current_revision, make_engine, make_session_factory, upgrade
from bot.store.models import Conversation, Ticket
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation
from bot.store.tickets import allocate_number

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
AGENCY_TABLES = ("conversations", "officers", "tickets", "ticket_events", "evidence", "sla_reminders", "digests")


def _seed_single_pack(engine) -> None:
    """One row in every table that gets an agency, written as revision 0004 knew them."""
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as conn:
        conn.execute(insert(t["citizens"]).values(id=1, channel="whatsapp", identity="+6281234567890", created_at=T0))
        conn.execute(insert(t["conversations"]).values(id=1, citizen_id=1, channel="whatsapp",
                                                       chat_id="+6281234567890", lang="id", created_at=T0))
        conn.execute(insert(t["officers"]).values(id=1, name="Made", role="officer", telegram_user_id=5001,
                                                  units=["kesra"], active=True, created_at=T0))
        conn.execute(insert(t["tickets"]).values(
            id=1, number="ADU-2611-0001", kind="complaint", conversation_id=1, citizen_id=1, draft_key="d1",
            unit="kesra", sla_class="normatif", opened_at=T0, deadline_at=T0, status="new", identity_mode="named",
            description="Jalan rusak", details={}, lang="id", updated_at=T0))
        conn.execute(insert(t["ticket_events"]).values(id=1, ticket_id=1, at=T0, actor_kind="citizen",
                                                       action="created", public=True, data={}))
        conn.execute(insert(t["evidence"]).values(id=1, ticket_id=1, conversation_id=1, origin="whatsapp",
                                                  origin_ref="https://api.twilio.com/x", stored_path="/tmp/x",
                                                  mime="image/jpeg", size=10, sha256="0" * 64, created_at=T0))
        conn.execute(insert(t["sla_reminders"]).values(ticket_id=1, kind="r50", sent_at=T0))
        conn.execute(insert(t["digests"]).values(id=1, unit="kesra", sent_at=T0, period_start=T0, period_end=T0))
        conn.execute(insert(t["ticket_counters"]).values(prefix="ADU", period="2611", last=1))
        if engine.dialect.name == "postgresql":  # ids given by hand: the sequences go on after them
            for table in ("citizens", "conversations", "officers", "tickets", "ticket_events", "evidence", "digests"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1)"))


def test_single_pack_rows_move_to_the_given_agency(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        _seed_single_pack(engine)
        upgrade(engine, agency="bangli-dpmptsp")
        assert current_revision(engine) == "0005"
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            for table in AGENCY_TABLES:
                assert conn.execute(select(meta.tables[table].c.agency_id)).scalars().all() == ["bangli-dpmptsp"], table
            assert conn.execute(select(meta.tables["conversations"].c.instance)).scalars().all() == ["whatsapp"]
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            # The old chat is found again by the code of today, and the counter goes on from where it was.
            citizen = get_or_create_citizen(session, "whatsapp", "+6281234567890")
            assert get_or_create_conversation(session, citizen, "whatsapp", "+6281234567890").id == 1
            assert allocate_number(session, "ADU", T0) == "ADU-2611-0002"
            # The same phone writing to another agency's number is another conversation.
            other = get_or_create_conversation(session, citizen, "whatsapp", "+6281234567890", instance="wa-kesra",
                                               agency_id="buleleng-kesra")
            assert other.id != 1 and other.agency_id == "buleleng-kesra"
            assert session.get(Ticket, 1).agency_id == "bangli-dpmptsp"
            assert session.get(Conversation, 1).agency_id == "bangli-dpmptsp"
    finally:
        engine.dispose()


def test_without_an_agency_the_rows_go_to_content_pack(db_url, monkeypatch):
    monkeypatch.setenv("CONTENT_PACK", "kalbar-kesra")
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0004")
        _seed_single_pack(engine)
        upgrade(engine)
        with make_session_factory(engine)() as session:
            assert session.get(Ticket, 1).agency_id == "kalbar-kesra"
    finally:
        engine.dispose()
