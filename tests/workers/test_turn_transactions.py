"""A citizen's turn writes its rows in a fixed, small number of transactions, and keeps its guarantees."""
from __future__ import annotations

from sqlalchemy import event, func, select

from bot.store.models import InboundEvent, Message
from tests.system import CITIZEN


def _commits(loket) -> list[int]:
    engine = loket.runtime.sessions.kw["bind"]
    seen: list[int] = []
    event.listen(engine, "commit", lambda conn: seen.append(1))
    return seen


def test_a_known_chats_turn_takes_two_transactions_and_one_per_reply(loket):
    loket.whatsapp("halo")
    loket.work()
    commits = _commits(loket)
    sent_before = len(loket.whatsapp_bodies())
    loket.whatsapp("biaya konsultasi")
    loket.work()
    replies = len(loket.whatsapp_bodies()) - sent_before
    assert replies == 1  # the answer, with "anything else?" as its last line
    # The inbound read with citizen, conversation and transcript; the state and the outbox claims with the
    # first attempt; each part sent with the next one's attempt, the last with the inbound marked processed.
    assert len(commits) == 2 + replies


def test_a_command_from_someone_who_is_no_officer_is_a_citizens_message(loket):
    """Text that reads as an officer command ("/tiket") from a citizen is still their turn, answered."""
    loket.whatsapp("/tiket")
    loket.work()
    assert loket.whatsapp_bodies()  # answered as a citizen, not dropped
    with loket.sessions() as session:
        assert session.scalar(select(func.count()).select_from(InboundEvent)
                              .where(InboundEvent.processed_at.is_(None))) == 0


def test_a_turn_with_several_replies_sends_each_once_in_order(loket):
    loket.whatsapp("prosedur konsultasi")  # the greeting with the steps, the flowchart, the closing hint
    loket.work()
    with loket.sessions() as session:
        rows = session.execute(select(Message.key, Message.delivery_state, Message.parts_sent)
                               .where(Message.direction == "out").order_by(Message.id)).all()
        unprocessed = session.scalar(select(func.count()).select_from(InboundEvent)
                                     .where(InboundEvent.processed_at.is_(None)))
    assert len(rows) >= 2 and [r.key for r in rows] == [f"reply:1:{i}" for i in range(len(rows))]
    assert all(r.delivery_state == "sent" and r.parts_sent >= 1 for r in rows)
    assert unprocessed == 0
    assert len(loket.whatsapp_bodies(CITIZEN)) == sum(r.parts_sent for r in rows)


def test_an_interrupted_reply_keeps_the_turn_unfinished_until_it_goes(loket, monkeypatch):
    """A reply on the wire when a worker died is looked up, then sent again; the inbound is marked
    processed only with it, so a worker that dies again in between leaves the turn to be run again."""
    from datetime import timedelta

    import pytest

    from bot.channels.base import Outgoing
    from bot.store.db import session_scope
    from bot.store.models import utcnow
    from bot.store.outbox import attempt, claim_outbound
    from bot.types import Reply
    from workers import delivery

    rt = loket.runtime
    with session_scope(rt.sessions) as session:
        claim = claim_outbound(session, key="reply:77:0", conversation_id=None, body="Halo")
        attempt(session, claim.id, at=utcnow() - timedelta(seconds=rt.settings.send_timeout_seconds + 5))
    finished = []

    def dies(*_args, **_kwargs):
        raise RuntimeError("the worker dies again")
    monkeypatch.setattr(rt.sender("whatsapp"), "send_part", dies)
    with pytest.raises(RuntimeError):
        delivery.send_all(rt, "whatsapp", "+6281234567890", None, [(Outgoing(Reply("Halo")), "reply:77:0")],
                          after=lambda session: finished.append(True))
    assert finished == []  # not marked done before the reply went
