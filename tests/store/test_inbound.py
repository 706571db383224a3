"""Inbound events are recorded once per (channel, platform id), even under racing deliveries."""
from __future__ import annotations

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
