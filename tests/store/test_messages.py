"""Outbound messages are idempotent by key; status callbacks never move a message backwards."""
from __future__ import annotations

import pytest

from bot.store.db import session_scope
from bot.store.messages import (
    get_message,
    list_messages,
    mark_failed,
    mark_sending,
    mark_sent,
    record_inbound_message,
    record_outbound,
    update_delivery,
)
from tests.store.factories import make_conversation, race


def test_record_outbound_is_idempotent_by_key(session):
    _, conversation = make_conversation(session)
    message, created = record_outbound(session, key="reply:1:0", conversation_id=conversation.id, body="Halo")
    again, created_again = record_outbound(session, key="reply:1:0", conversation_id=conversation.id, body="x")
    assert created and not created_again and again.id == message.id and again.body == "Halo"
    assert message.delivery_state == "queued" and message.direction == "out"
    _, other = make_conversation(session, "+6282222222222")
    with pytest.raises(ValueError, match="another conversation"):
        record_outbound(session, key="reply:1:0", conversation_id=other.id, body="Halo")


def test_record_outbound_race(sessions):
    with session_scope(sessions) as session:
        conversation_id = make_conversation(session)[1].id

    def record(_):
        with session_scope(sessions) as session:
            message, created = record_outbound(session, key="reply:7:0", conversation_id=conversation_id,
                                               body="Halo", media=[{"url": "x"}])
            return message.id, created

    results = race(record)
    assert len({mid for mid, _ in results}) == 1 and sum(c for _, c in results) == 1


def test_send_lifecycle(session):
    _, conversation = make_conversation(session)
    message, _ = record_outbound(session, key="k", conversation_id=conversation.id, body="Halo")
    assert mark_sending(session, message.id) is True
    assert mark_failed(session, message.id, 63018) is True
    assert get_message(session, message.id).error_code == "63018"
    assert mark_sending(session, message.id) is True  # a retry
    assert mark_sent(session, message.id, "SM123") is True
    message = get_message(session, message.id)
    assert (message.delivery_state, message.platform_id, message.error_code) == ("sent", "SM123", None)
    assert message.sent_at is not None
    assert mark_sending(session, message.id) is False  # sent already: do not send again


@pytest.mark.parametrize("callbacks, state", [
    (["sent", "delivered", "read"], "read"),
    (["delivered", "sent"], "delivered"),
    (["read", "delivered", "sent"], "read"),
    (["undelivered"], "undelivered"),
    (["delivered", "failed"], "delivered"),
    (["accepted", "queued", "sending"], "sent"),
])
def test_update_delivery_only_moves_forward(session, callbacks, state):
    _, conversation = make_conversation(session)
    message, _ = record_outbound(session, key="k", conversation_id=conversation.id, body="Halo")
    mark_sent(session, message.id, "SM1")
    for status in callbacks:
        update_delivery(session, "SM1", status, "30008" if status in ("failed", "undelivered") else None)
    session.expire_all()
    message = get_message(session, message.id)
    assert message.delivery_state == state
    assert message.error_code == ("30008" if state == "undelivered" else None)


def test_update_delivery_reports_what_it_did(session):
    _, conversation = make_conversation(session)
    message, _ = record_outbound(session, key="k", conversation_id=conversation.id, body="Halo")
    mark_sent(session, message.id, "SM1")
    assert update_delivery(session, "SM1", "delivered") is True
    assert update_delivery(session, "SM1", "sent") is False
    assert update_delivery(session, "SM-unknown", "delivered") is False
    assert update_delivery(session, "SM1", "bogus") is False


def test_inbound_messages_are_recorded_once(session):
    _, conversation = make_conversation(session)
    first = record_inbound_message(session, conversation.id, "halo", "SM9")
    assert record_inbound_message(session, conversation.id, "halo", "SM9").id == first.id
    reply, _ = record_outbound(session, key="reply:1:0", conversation_id=conversation.id, body="Selamat datang")
    no_id = record_inbound_message(session, conversation.id, "lagi", None)
    assert [m.id for m in list_messages(session, conversation.id)] == [first.id, reply.id, no_id.id]
    assert first.direction == "in"


def test_a_text_sent_in_parts_follows_any_part(session):
    _, conversation = make_conversation(session)
    message, _ = record_outbound(session, key="k", conversation_id=conversation.id, body="panjang " * 400)
    other, _ = record_outbound(session, key="k2", conversation_id=conversation.id, body="x")
    mark_sent(session, message.id, "SM1,SM2,SM3")
    mark_sent(session, other.id, "SM22")
    assert update_delivery(session, "SM2", "delivered") is True
    assert update_delivery(session, "SM3", "read") is True
    assert update_delivery(session, "SM%", "read") is False
    assert update_delivery(session, "", "read") is False
    session.expire_all()
    assert get_message(session, message.id).delivery_state == "read"
    assert get_message(session, other.id).delivery_state == "sent"


def test_messages_to_officers_have_no_conversation(session):
    message, created = record_outbound(session, key="notify:1:0", conversation_id=None, body="Tiket baru",
                                       media={"image": "https://example.org/a.png"})
    assert created and message.conversation_id is None and message.media == {"image": "https://example.org/a.png"}
    assert record_outbound(session, key="notify:1:0", conversation_id=None, body="Tiket baru")[1] is False
