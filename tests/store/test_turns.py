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
