"""Inbound events are recorded once per (channel, platform id), even under racing deliveries."""
from __future__ import annotations

import pytest

from bot.store.db import session_scope
from bot.store.inbound import get_inbound, mark_processed, record_inbound
from tests.store.factories import race


def make_event(session, platform_id="SM1", channel="whatsapp", **kw):
    values = dict(chat_key=f"{channel}:+6281234567890", payload={"Body": "halo", "MessageSid": platform_id},
                  message={"kind": "text", "text": "halo"})
    values.update(kw)
    return record_inbound(session, channel=channel, platform_id=platform_id, **values)


def test_second_delivery_is_dropped(session):
    first = make_event(session)
    assert isinstance(first, int)
    assert make_event(session) is None
    assert make_event(session, channel="telegram") not in (None, first)  # ids are per channel
    event = get_inbound(session, first)
    assert event.payload == {"Body": "halo", "MessageSid": "SM1"}
    assert event.message["text"] == "halo"
    assert event.received_at.tzinfo is not None and event.processed_at is None


def test_mark_processed_once(session):
    inbound_id = make_event(session)
    assert mark_processed(session, inbound_id) is True
    assert mark_processed(session, inbound_id) is False
    session.expire_all()
    assert get_inbound(session, inbound_id).processed_at is not None


def test_racing_deliveries_yield_exactly_one_id(sessions):
    def deliver(_):
        with session_scope(sessions) as session:
            return make_event(session, platform_id="SM-race")

    ids = race(deliver)
    assert len([i for i in ids if i is not None]) == 1
    with session_scope(sessions) as session:
        assert make_event(session, platform_id="SM-race") is None


def test_save_inbound_commits_on_its_own_and_drops_racing_duplicates(engine, sessions):
    """The webhook's one-statement record: committed when it returns, and one id however many race."""
    from bot.store.inbound import save_inbound

    def deliver(_):
        return save_inbound(engine, channel="whatsapp", platform_id="SM-one-trip", chat_key="whatsapp:+62811",
                            payload={"MessageSid": "SM-one-trip"}, message={"kind": "text", "text": "halo"})

    ids = race(deliver)
    winners = [i for i in ids if i is not None]
    assert len(winners) == 1
    with sessions() as session:  # another connection sees it: nothing is left uncommitted
        event = get_inbound(session, winners[0])
        assert event.payload == {"MessageSid": "SM-one-trip"} and event.processed_at is None
    assert deliver(0) is None


def test_the_intake_engine_records_without_a_ping_and_survives_a_dropped_connection(db_url, engine, sessions,
                                                                                     pg_admin):
    """The webhook's engine on PostgreSQL pings nobody: a connection the server dropped (a restart, a
    failover) fails its INSERT, which goes again on a new connection, and the webhook never notices."""
    from sqlalchemy import text
    from bot.store.db import make_intake_engine
    from bot.store.inbound import save_inbound
    intake = make_intake_engine(db_url)
    if intake is None:
        pytest.skip("SQLite records through the main engine")

    def deliver(sid):
        return save_inbound(intake, channel="whatsapp", platform_id=sid, chat_key="whatsapp:+62811",
                            payload={"MessageSid": sid}, message={"kind": "text", "text": "halo"})
    try:
        first = deliver("SM-before")
        with intake.connect() as conn:
            backend = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with pg_admin.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        second = deliver("SM-after")
        assert second is not None and second != first
        assert deliver("SM-after") is None  # still a duplicate, dropped
        with sessions() as session:  # committed: another connection sees both
            assert get_inbound(session, second).payload == {"MessageSid": "SM-after"}
            assert get_inbound(session, first).message == {"kind": "text", "text": "halo"}
    finally:
        intake.dispose()
