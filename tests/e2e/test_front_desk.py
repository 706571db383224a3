"""A front desk: one WhatsApp number (a Mal Pelayanan Publik) for three agencies.

The citizen asks in their own words; the service they ask about says whose it is, the agency is asked
when two have such a service, and a complaint lands in the unit of the agency it was filed with.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Conversation, Ticket
from bot.store.officers import add_officer
from tests.conftest import content_with_channels, make_settings
from tests.fakes.twilio_api import make_inbound
from tests.system import Loket

MPP = "whatsapp:+14155550110"
CITIZEN = "whatsapp:+6281234567890"
KESRA_GROUP = -1001111111111
KOMANG = 9101  # Bangli's complaint officer

CHANNELS = f"""\
- id: wa-mpp
  provider: whatsapp
  address: "{MPP}"
  agencies: [bangli-dpmptsp, kalbar-kesra, buleleng-kesra]
"""


@pytest.fixture
def database_url(both_databases):
    return both_databases


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = content_with_channels(tmp_path, CHANNELS, KESRA_GROUP)
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content,
                             agencies="bangli-dpmptsp,kalbar-kesra,buleleng-kesra")
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Komang Bangli", role="officer", units=["pengaduan"], telegram_user_id=KOMANG,
                    agency_id="bangli-dpmptsp")
    yield system
    system.close()


def from_desk(loket) -> list[str]:
    return [m["Body"] for m in loket.fake_twilio.messages_to(CITIZEN) if m.get("From") == MPP]


def say(loket, *texts: str) -> str:
    """Type ``texts`` to the desk; what it answered to the last one (all its messages, in order)."""
    for text in texts:
        before = len(from_desk(loket))
        params = make_inbound(body=text, from_=CITIZEN, to=MPP, account_sid=loket.settings.twilio_account_sid)
        assert loket.post_twilio("/webhooks/twilio", params).status_code == 200
        loket.work()
    return "\n".join(from_desk(loket)[before:])


def number_in(text: str) -> str:
    return re.search(r"\*(ADU-\d{4}-\d{4})\*", text).group(1)


def the_ticket(loket, number: str) -> Ticket:
    with loket.sessions() as s:
        return s.scalars(select(Ticket).where(Ticket.number == number)).one()


def test_a_question_about_another_agencys_service_is_answered_from_its_pack_and_its_complaint_lands_there(loket):
    # Bangli is the desk's first agency; the service asked about is Buleleng's alone.
    answer = say(loket, "apa syarat pembinaan masyarakat?")
    assert "Surat permohonan pembinaan masyarakat" in answer
    with loket.sessions() as s:
        assert s.scalars(select(Conversation.agency_id)).one() == "buleleng-kesra"

    say(loket, "pengaduan")
    filed = say(loket, "1", "Petugas meminta biaya untuk pembinaan", "Kantor Bupati Buleleng", "kemarin", "2",
                "lewati", "3", "1")
    number = number_in(filed)
    ticket = the_ticket(loket, number)
    assert (ticket.agency_id, ticket.unit, ticket.sla_class) == ("buleleng-kesra", "kesra", "normatif")
    assert any(number in t for t in loket.fake_telegram.texts_to(KESRA_GROUP))
    assert not any(number in t for t in loket.fake_telegram.texts_to(KOMANG))


def test_a_service_two_agencies_have_asks_which_agency(loket):
    asked = say(loket, "syarat konsultasi apa saja")
    assert asked.startswith("Pertanyaan Anda untuk instansi yang mana?")
    assert "1. Biro Kesra Kalbar" in asked and "2. Kesra Setda Buleleng" in asked
    assert "DPMPTSP" not in asked  # Bangli has no consultation service: not offered
    answer = say(loket, "1")
    assert "Surat Tugas" in answer  # Kalbar's standard writes it with a capital T
    with loket.sessions() as s:
        assert s.scalars(select(Conversation.agency_id)).one() == "kalbar-kesra"


def test_a_complaint_before_any_agency_is_chosen_asks_which_agency_and_goes_to_the_one_picked(loket):
    asked = say(loket, "pengaduan")
    assert asked.startswith("Pertanyaan Anda untuk instansi yang mana?")
    assert "1. DPMPTSP Bangli" in asked and "3. Kesra Setda Buleleng" in asked
    consent = say(loket, "1")
    assert "Setuju?" in consent
    filed = say(loket, "1", "Izin usaha saya belum diproses", "Kantor DPMPTSP Bangli", "bulan lalu", "1",
                "lewati", "3", "1")
    number = number_in(filed)
    ticket = the_ticket(loket, number)
    assert (ticket.agency_id, ticket.unit, ticket.sla_class) == ("bangli-dpmptsp", "pengaduan", "pengaduan")
    assert any(number in t for t in loket.fake_telegram.texts_to(KOMANG))
    assert not any(number in t for t in loket.fake_telegram.texts_to(KESRA_GROUP))
