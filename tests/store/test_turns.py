"""open_turn writes what a citizen's message needs before its turn, the same for a new chat and a known one."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store.models import Citizen, Conversation, Message
from bot.store.tickets import set_status
from bot.store.turns import open_turn
from tests.store.factories import T0, make_conversation, make_ticket

PHONE = "+6281234567890"


def _open(session, at=T0, platform_id="SM1", display_name="Wayan", **kw):
    values = dict(channel="whatsapp", identity=PHONE, display_name=display_name, chat_id=PHONE, instance=None,
                  agency_id="buleleng", at=at, kind="text", platform_id=platform_id)
    values.update(kw)
    return open_turn(session, **values)


def test_a_new_chat_then_the_same_chat_again(session):
    first = _open(session, display_name=None)
    second = _open(session, at=T0 + timedelta(minutes=1), platform_id="SM2", display_name="Wayan")
    assert (second.conversation_id, second.citizen_id, second.agency_id) == (first.conversation_id,
                                                                            first.citizen_id, "buleleng")
    assert second.waiting_ticket_id is None
    assert (first.created, second.created) == (True, False)  # the first had no state to look up
    session.expire_all()
    convo = session.get(Conversation, first.conversation_id)
    assert convo.last_inbound_at == T0 + timedelta(minutes=1)
    assert session.get(Citizen, first.citizen_id).display_name == "Wayan"  # filled in once it is known
    _open(session, at=T0, platform_id="SM3", display_name="Someone else")  # a late, older message
    session.expire_all()
    assert session.get(Conversation, first.conversation_id).last_inbound_at == T0 + timedelta(minutes=1)
    assert session.get(Citizen, first.citizen_id).display_name == "Wayan"


def test_the_transcript_line_is_written_once_per_platform_id(session):
    opened = _open(session)
    _open(session)  # the job runs again
    lines = session.scalars(select(Message).where(Message.conversation_id == opened.conversation_id)).all()
    assert [(m.direction, m.key) for m in lines] == [("in", f"in:{opened.conversation_id}:SM1")]


def test_the_ticket_waiting_for_the_citizen_comes_along(session):
    citizen, convo = make_conversation(session, chat_id=PHONE)
    ticket = make_ticket(session, convo, citizen)
    assert _open(session).waiting_ticket_id is None
    set_status(session, ticket, "waiting_citizen", "officer")
    assert _open(session, platform_id="SM2").waiting_ticket_id == ticket.id


def test_racing_first_messages_of_a_new_chat_make_one_citizen_and_one_conversation(sessions):
    """Two webhooks of one new chat handled at once (two workers, a redelivery): one row each, shared."""
    from bot.store.db import session_scope
    from tests.store.factories import race

    def first_message(i):
        with session_scope(sessions) as session:
            opened = _open(session, platform_id=f"SM-race-{i}", at=T0 + timedelta(seconds=i))
            return opened.conversation_id, opened.citizen_id, opened.created
    results = race(first_message, n=6)
    assert len({result[:2] for result in results}) == 1
    assert [result[2] for result in results].count(True) == 1  # only the one that created it
    with sessions() as session:
        assert len(session.scalars(select(Conversation)).all()) == 1
        assert len(session.scalars(select(Citizen)).all()) == 1
        assert session.scalars(select(Conversation)).one().last_inbound_at == T0 + timedelta(seconds=5)


def test_the_same_phone_at_another_agencys_number_is_one_citizen_with_two_chats(session):
    kesra = _open(session, instance="wa-kesra", display_name=None)
    bangli = _open(session, instance="wa-mpp", agency_id="bangli", platform_id="SM9", display_name="Wayan")
    assert kesra.citizen_id == bangli.citizen_id and kesra.conversation_id != bangli.conversation_id
    assert (kesra.agency_id, bangli.agency_id) == ("buleleng", "bangli")
    session.expire_all()
    assert session.get(Citizen, kesra.citizen_id).display_name == "Wayan"
