"""The driver path for a turn's statements reads and writes what SQLAlchemy's own execution does."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError, MultipleResultsFound

from bot.store import hot
from bot.store.inbound import _LOAD, _MARK
from bot.store.models import Message
from bot.store.outbox import _PART_SENT, claim_outbound
from bot.store.states import load_state, save_state
from tests.store.factories import make_conversation
from tests.store.test_inbound import make_event

_messages = Message.__table__
_BY_CONVERSATION = select(_messages.c.id, _messages.c.created_at).where(
    _messages.c.conversation_id == bindparam("p_convo")).order_by(_messages.c.id)

_SIDEWAYS = _messages.insert().values(key="k", conversation_id=bindparam("p_convo"), direction="up", body="x",
                                      delivery_state="queued", parts_sent=0, created_at=bindparam("p_now"),
                                      updated_at=bindparam("p_now"))


def test_rows_match_sqlalchemy_json_and_aware_times_included(session):
    inbound_id = make_event(session, message={"kind": "text", "text": "halo ñ", "media": [{"n": 1}]})
    conn = session.connection()
    ours = hot.run(session, _LOAD, {"p_id": inbound_id}).one()
    theirs = conn.execute(_LOAD, {"p_id": inbound_id}).one()
    assert tuple(ours) == tuple(theirs)
    assert ours.message == {"kind": "text", "text": "halo ñ", "media": [{"n": 1}]} and ours.processed_at is None
    at = datetime(2026, 12, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=8)))  # WITA, stored as UTC
    assert hot.run(session, _MARK, {"p_id": inbound_id, "p_at": at}).rowcount == 1
    assert hot.run(session, _MARK, {"p_id": inbound_id, "p_at": at}).rowcount == 0  # already processed
    done = hot.run(session, _LOAD, {"p_id": inbound_id}).one().processed_at
    assert done == at and done.utcoffset() == timedelta(0)
    assert hot.run(session, _LOAD, {"p_id": inbound_id + 1000}).one_or_none() is None


def test_naive_times_are_refused_as_everywhere_else(session):
    inbound_id = make_event(session)
    with pytest.raises(Exception, match="naive datetime"):
        hot.run(session, _MARK, {"p_id": inbound_id, "p_at": datetime(2026, 12, 2)})


def test_statement_constants_and_in_lists_reach_the_driver(session):
    """``part_sent``'s UPDATE carries constants and an IN list of states that the caller never passes."""
    _, convo = make_conversation(session)
    claim = claim_outbound(session, key="reply:9:0", conversation_id=convo.id, body="Halo")
    for n, sid in enumerate(("SM1", "SM2"), start=1):
        hot.run(session, _PART_SENT, {"p_id": claim.id, "p_pid": sid, "p_total": 2,
                                      "p_now": datetime.now(timezone.utc)})
        session.expire_all()
        row = session.get(Message, claim.id)
        assert (row.parts_sent, row.platform_id) == (n, ",".join(["SM1", "SM2"][:n]))
    assert row.delivery_state == "sent" and row.sent_at is not None


def test_json_state_round_trips(session):
    state = {"flow": "pengaduan", "step": "lokasi", "data": {"isi": "Jalan rusak 🙏", "n": [1, 2]}}
    save_state(session, "whatsapp:+62811", state)
    save_state(session, "whatsapp:+62811", {**state, "step": "foto"})
    assert load_state(session, "whatsapp:+62811", 3600) == {**state, "step": "foto"}


def test_result_shapes(session):
    _, convo = make_conversation(session)
    for n in range(2):
        claim_outbound(session, key=f"reply:shape:{n}", conversation_id=convo.id, body="Halo")
    rows = hot.run(session, _BY_CONVERSATION, {"p_convo": convo.id}).all()
    assert len(rows) == 2 and [tuple(r) for r in rows] == [tuple(r) for r in session.connection().execute(
        _BY_CONVERSATION, {"p_convo": convo.id}).all()]
    assert hot.run(session, _BY_CONVERSATION, {"p_convo": convo.id}).scalar() == rows[0].id
    with pytest.raises(MultipleResultsFound):
        hot.run(session, _BY_CONVERSATION, {"p_convo": convo.id}).one_or_none()


def test_driver_errors_leave_as_sqlalchemys_and_the_session_recovers(session):
    _, convo = make_conversation(session)
    session.commit()
    with pytest.raises(IntegrityError):
        hot.run(session, _SIDEWAYS, {"p_convo": convo.id, "p_now": datetime.now(timezone.utc)})
    session.rollback()
    assert hot.run(session, _BY_CONVERSATION, {"p_convo": convo.id}).all() == []


@pytest.mark.postgres
def test_a_connection_the_server_dropped_is_invalidated(session, pg_admin):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("the driver path is PostgreSQL's")
    inbound_id = make_event(session)
    session.commit()
    pid = session.connection().execute(text("SELECT pg_backend_pid()")).scalar()
    with pg_admin.begin() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    with pytest.raises(DBAPIError) as raised:
        hot.run(session, _LOAD, {"p_id": inbound_id})
    assert raised.value.connection_invalidated
    session.rollback()
    assert hot.run(session, _LOAD, {"p_id": inbound_id}).one().chat_key.startswith("whatsapp:")
