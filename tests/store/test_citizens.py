"""Citizens and conversations: created once, consent, and erasure on request."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Citizen
from bot.store.citizens import (
    erase_citizen,
    get_or_create_citizen,
    get_or_create_conversation,
    record_consent,
    touch_inbound,
)
from bot.store.inbound import get_inbound, record_inbound
from bot.store.messages import get_message, record_inbound_message
from tests.store.factories import T0, make_conversation, make_ticket, race


def test_get_or_create_returns_the_same_rows(session):
    citizen = get_or_create_citizen(session, "whatsapp", "+6281234567890", "Wayan")
    assert get_or_create_citizen(session, "whatsapp", "+6281234567890", "Other").id == citizen.id
    assert citizen.display_name == "Wayan"
    assert get_or_create_citizen(session, "telegram", "+6281234567890").id != citizen.id
    conversation = get_or_create_conversation(session, citizen, "whatsapp", "+6281234567890")
    assert get_or_create_conversation(session, citizen, "whatsapp", "+6281234567890").id == conversation.id
    assert conversation.citizen_id == citizen.id and conversation.lang == "id"


def test_get_or_create_citizen_race(sessions):
    def create(_):
        with session_scope(sessions) as session:
            citizen = get_or_create_citizen(session, "telegram", "42")
            return citizen.id, get_or_create_conversation(session, citizen, "telegram", "42").id

    assert len(set(race(create))) == 1
    with session_scope(sessions) as session:
        assert len(session.scalars(select(Citizen)).all()) == 1


def test_touch_inbound_and_consent(session):
    citizen, conversation = make_conversation(session)
    touch_inbound(session, conversation, T0)
    touch_inbound(session, conversation, T0 - timedelta(hours=1))  # a late retry does not rewind
    assert conversation.last_inbound_at == T0
    record_consent(session, citizen, T0)
    record_consent(session, citizen, T0 + timedelta(days=1))
    assert citizen.consent_at == T0


def test_erase_citizen_clears_personal_data(session):
    citizen, conversation = make_conversation(session, display_name="Wayan")
    record_consent(session, citizen, T0)
    _, neighbour_conv = make_conversation(session, "+6289999999999", display_name="Nyoman")
    ticket = make_ticket(session, conversation, citizen, reporter_name="Wayan Sudarma")
    kept = make_ticket(session, neighbour_conv, None, reporter_name="Nyoman")
    inbound_id = record_inbound(session, channel="whatsapp", platform_id="SM1",
                                chat_key="whatsapp:+6281234567890", payload={"ProfileName": "Wayan"},
                                message={"text": "nama saya Wayan"})
    text = record_inbound_message(session, conversation.id, "nama saya Wayan", "SM1")

    erase_citizen(session, citizen)
    session.expire_all()
    assert citizen.display_name is None and citizen.consent_at is None and citizen.erased_at is not None
    assert ticket.reporter_name is None and ticket.description == "Jalan rusak"
    assert kept.reporter_name == "Nyoman"
    assert get_inbound(session, inbound_id).payload == {"erased": True}
    assert get_message(session, text.id).body == ""
    assert conversation.chat_id == "+6281234567890"  # the confirmation can still be sent

    erase_citizen(session, citizen, forget_contact=True)
    session.expire_all()
    assert citizen.identity == f"erased:{citizen.id}"
    assert conversation.chat_id == f"erased:{conversation.id}"
    assert get_inbound(session, inbound_id).chat_key == "erased"
    newcomer = get_or_create_citizen(session, "whatsapp", "+6281234567890")
    assert newcomer.id != citizen.id and newcomer.erased_at is None
