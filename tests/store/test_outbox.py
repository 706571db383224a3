"""The outbox's Core statements keep record_outbound's and record_part's rules."""
from __future__ import annotations

import pytest

from bot.store.db import session_scope
from bot.store.models import Message
from bot.store.messages import update_delivery
from bot.store.outbox import attempt, claim_outbound, part_sent
from tests.store.factories import make_conversation, race


def test_a_key_is_claimed_once_and_keeps_its_progress(session):
    _, convo = make_conversation(session)
    first = claim_outbound(session, key="reply:1:0", conversation_id=convo.id, body="Halo")
    assert first.parts_sent == 0 and not first.done and first.attempted_at is None
    attempt(session, first.id)
    again = claim_outbound(session, key="reply:1:0", conversation_id=convo.id, body="Halo")
    assert again.id == first.id and again.attempted_at is not None and not again.done
    with pytest.raises(ValueError, match="another conversation"):
        claim_outbound(session, key="reply:1:0", conversation_id=None, body="Halo")


def test_a_claim_can_record_its_first_attempt_as_attempt_would(session):
    _, convo = make_conversation(session)
    plain = claim_outbound(session, key="reply:5:0", conversation_id=convo.id, body="Halo")
    attempt(session, plain.id)
    merged = claim_outbound(session, key="reply:5:1", conversation_id=convo.id, body="Halo", attempting=True)
    assert merged.attempted_now and merged.attempted_at is None  # nothing interrupted: no look-up first
    session.expire_all()
    rows = [session.get(Message, claim.id) for claim in (plain, merged)]
    assert [(r.delivery_state, r.attempted_at is not None, r.parts_sent) for r in rows] == [("sending", True, 0)] * 2
    rerun = claim_outbound(session, key="reply:5:1", conversation_id=convo.id, body="Halo", attempting=True)
    assert rerun.id == merged.id and not rerun.attempted_now and rerun.attempted_at is not None  # look it up


def test_racing_claims_get_one_message(sessions):
    def claim(_):
        with session_scope(sessions) as session:
            return claim_outbound(session, key="reply:race:0", conversation_id=None, body="Halo").id

    assert len(set(race(claim))) == 1


def test_the_last_part_marks_the_message_sent(session):
    claim = claim_outbound(session, key="reply:2:0", conversation_id=None, body="long")
    attempt(session, claim.id)
    part_sent(session, claim.id, "SM1", 2)
    row = session.get(Message, claim.id)
    assert (row.platform_id, row.parts_sent, row.delivery_state, row.attempted_at) == ("SM1", 1, "sending", None)
    part_sent(session, claim.id, "SM2", 2)
    session.expire_all()
    row = session.get(Message, claim.id)
    assert (row.platform_id, row.parts_sent, row.delivery_state) == ("SM1,SM2", 2, "sent")
    assert row.sent_at is not None
    assert claim_outbound(session, key="reply:2:0", conversation_id=None, body="long").done


def test_a_status_that_came_first_is_not_undone(session):
    claim = claim_outbound(session, key="reply:3:0", conversation_id=None, body="Halo")
    part_sent(session, claim.id, "SM9", 2)
    update_delivery(session, "SM9", "delivered")
    part_sent(session, claim.id, "SM10", 2)
    session.expire_all()
    assert session.get(Message, claim.id).delivery_state == "delivered"
