"""The outbox: a reply's parts are claimed before and recorded after each send, so a re-run sends only the rest."""
from __future__ import annotations

from datetime import timedelta

from bot.store.db import session_scope
from bot.store.models import utcnow
from bot.store.messages import get_message_by_key, mark_attempt, record_outbound, record_part
from bot.types import Reply
from workers.delivery import send_one
from bot.channels.base import Outgoing

CITIZEN = "+6281234567890"
LONG = Reply(("Persyaratan pengaduan lengkap. " * 40 + "\n\n") * 3)  # more than one WhatsApp message


def _parts(loket) -> list[dict]:
    return loket.runtime.sender("whatsapp").parts(CITIZEN, Outgoing(LONG))


def _row(loket, key):
    with loket.sessions() as s:
        return get_message_by_key(s, key)


def test_a_long_reply_goes_as_parts_each_recorded(loket):
    parts = _parts(loket)
    assert len(parts) >= 2
    assert send_one(loket.runtime, "whatsapp", CITIZEN, None, Outgoing(LONG), "reply:1:0")
    row = _row(loket, "reply:1:0")
    assert row.delivery_state == "sent" and row.parts_sent == len(parts) and row.attempted_at is None
    assert row.platform_id.split(",") == [m["sid"] for m in loket.fake_twilio.sent]


def test_a_rerun_after_a_crash_between_parts_sends_only_the_rest(loket):
    parts = _parts(loket)
    first = loket.runtime.sender("whatsapp").send_part(CITIZEN, parts[0])  # went out, then the worker died
    with session_scope(loket.sessions) as s:
        row, _ = record_outbound(s, key="reply:2:0", conversation_id=None, body=LONG.text)
        record_part(s, row.id, first, len(parts))
    assert send_one(loket.runtime, "whatsapp", CITIZEN, None, Outgoing(LONG), "reply:2:0")
    bodies = loket.whatsapp_bodies(f"whatsapp:{CITIZEN}")
    assert bodies == [p["body"] for p in parts]  # each part once, in order


def test_a_part_on_the_wire_when_the_worker_died_is_looked_up_not_sent_again(loket):
    parts = _parts(loket)
    with session_scope(loket.sessions) as s:
        row, _ = record_outbound(s, key="reply:3:0", conversation_id=None, body=LONG.text)
        mark_attempt(s, row.id, at=utcnow() - timedelta(seconds=loket.settings.send_timeout_seconds + 1))
    loket.runtime.sender("whatsapp").send_part(CITIZEN, parts[0])  # Twilio took it; no one recorded it
    assert send_one(loket.runtime, "whatsapp", CITIZEN, None, Outgoing(LONG), "reply:3:0")
    assert loket.whatsapp_bodies(f"whatsapp:{CITIZEN}") == [p["body"] for p in parts]
    assert _row(loket, "reply:3:0").delivery_state == "sent"


def test_a_part_on_the_wire_that_twilio_never_got_is_sent(loket):
    parts = _parts(loket)
    with session_scope(loket.sessions) as s:
        row, _ = record_outbound(s, key="reply:4:0", conversation_id=None, body=LONG.text)
        mark_attempt(s, row.id, at=utcnow() - timedelta(seconds=loket.settings.send_timeout_seconds + 1))
    assert send_one(loket.runtime, "whatsapp", CITIZEN, None, Outgoing(LONG), "reply:4:0")
    assert loket.whatsapp_bodies(f"whatsapp:{CITIZEN}") == [p["body"] for p in parts]
