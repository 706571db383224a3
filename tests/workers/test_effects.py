"""Tickets are numbered by the agency's local month, not UTC's."""
from datetime import datetime, timezone

from bot.store.db import session_scope
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation
from bot.types import Effect, Message
from workers import effects


def test_number_follows_the_local_month(loket):
    with session_scope(loket.sessions) as s:
        citizen = get_or_create_citizen(s, "whatsapp", "+6281200001111")
        convo = get_or_create_conversation(s, citizen, "whatsapp", "+6281200001111")
        citizen_id, convo_id = citizen.id, convo.id
    # 16:30 UTC on 30 November is 00:30 WITA on 1 December.
    msg = Message(channel="whatsapp", chat_id="+6281200001111", sender_id="+6281200001111",
                  received_at=datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc), platform_id="SMx")
    effect = Effect("create_ticket", {"kind": "complaint", "key": "k1", "unit": "kesra", "sla_class": "normatif",
                                      "category": "pelayanan", "description": "Antrean tidak tertib",
                                      "identity": "anonymous", "lang": "id"})
    (reply,) = effects.apply(loket.runtime, effect, msg=msg, conversation_id=convo_id, citizen_id=citizen_id, state={})
    assert "*ADU-2612-0001*" in reply.text
    # 5 working days from Tuesday 1 Dec 00:30 WITA (before opening, so day 0 is 1 Dec) -> Tuesday 8 Dec, 15:30.
    assert "Selasa, 8 Desember 2026 pukul 15.30 WITA" in reply.text
