"""SMS through Twilio, end to end: a citizen texts the agency's SMS number, files a complaint, and an
officer's /balas reaches them by SMS, all against the fake Twilio driven by the real SDK."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import CHANNELS, Conversation, Message as MessageRow, Ticket
from bot.store.officers import add_officer
from tests.conftest import content_with_channels, make_settings
from tests.fakes.telegram_api import make_group_text_update
from tests.fakes.twilio_api import make_sms_inbound, make_status_callback
from tests.system import Loket

SMS_NUMBER = "+14155550100"  # the agency's SMS line (a channel instance)
CITIZEN = "+6281234567890"   # a plain number: SMS has no "whatsapp:" prefix
GROUP = -1001234567890
BUDI = 9001

CHANNELS_YAML = f"""\
- id: sms-kesra
  provider: sms
  address: "{SMS_NUMBER}"
  agencies: [buleleng-kesra]
- id: tg-kesra
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN
  secret_env: TELEGRAM_WEBHOOK_SECRET
  agencies: [buleleng-kesra]
"""


@pytest.fixture
def database_url(both_databases):
    return both_databases


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = content_with_channels(tmp_path, CHANNELS_YAML, GROUP)
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content)
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Budi Petugas", role="officer", units=["kesra"], telegram_user_id=BUDI)
    yield system
    system.close()


def sms(loket, text: str, **kw):
    params = make_sms_inbound(body=text, from_=CITIZEN, to=SMS_NUMBER,
                              account_sid=loket.settings.twilio_account_sid, **kw)
    return loket.post_twilio("/webhooks/twilio", params)


def texts_received(loket) -> list[dict]:
    """What the fake Twilio accepted for the citizen's phone, from the SMS number."""
    return [m for m in loket.fake_twilio.messages_to(CITIZEN) if m.get("From") == SMS_NUMBER]


def bodies(loket) -> list[str]:
    return [m["Body"] for m in texts_received(loket)]


def group_says(loket, text: str) -> str:
    loket.telegram_update(make_group_text_update(text, chat_id=GROUP, user_id=BUDI))
    loket.work()
    return loket.fake_telegram.calls("sendMessage", GROUP)[-1].params["text"]


def test_an_sms_is_answered_by_sms_in_plain_text(loket):
    assert sms(loket, "halo").status_code == 200
    loket.work()
    received = texts_received(loket)
    assert received and all(m["To"] == CITIZEN for m in received)  # plain numbers both ways
    greeting = "\n".join(bodies(loket))
    assert "Setda Kabupaten Buleleng" in greeting
    assert "*" not in greeting  # no Markdown on a phone's SMS screen
    assert re.search(r"^1\. ", greeting, re.M)  # options are numbers to type, as on WhatsApp
    assert all(len(b) <= 1600 for b in bodies(loket))
    with loket.sessions() as s:
        convo = s.scalars(select(Conversation)).one()
        assert (convo.channel, convo.instance, convo.agency_id) == ("sms", "sms-kesra", "buleleng-kesra")


def test_a_status_callback_updates_the_delivery_state(loket):
    sms(loket, "halo")
    loket.work()
    sent = texts_received(loket)[0]
    callback = make_status_callback(sent["sid"], "delivered", from_=SMS_NUMBER, to=CITIZEN,
                                    account_sid=loket.settings.twilio_account_sid)
    assert loket.post_twilio("/webhooks/twilio/status", callback).status_code == 204
    with loket.sessions() as s:
        row = s.scalars(select(MessageRow).where(MessageRow.platform_id == sent["sid"])).one()
        assert row.delivery_state == "delivered"


def test_a_complaint_by_sms_becomes_a_ticket_and_the_officers_reply_comes_by_sms(loket):
    for text in ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
                 "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati", "3", "1"):
        sms(loket, text)
    loket.work()
    confirmation = bodies(loket)[-1]
    number = re.search(r"\b(ADU-\d{4}-\d{4})\b", confirmation).group(1)
    assert "*" not in confirmation
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.number == number)).one()
        assert (ticket.agency_id, ticket.unit) == ("buleleng-kesra", "kesra")
    assert any(number in t for t in loket.fake_telegram.texts_to(GROUP))

    answer = group_says(loket, f"/balas {number} Terima kasih, laporan Anda sedang kami periksa.")
    assert answer == f"Balasan terkirim ke warga (tiket {number})."
    reply = bodies(loket)[-1]
    assert reply.startswith(f"Balasan petugas untuk tiket {number}:\nTerima kasih, laporan Anda sedang kami periksa.")
    assert texts_received(loket)[-1]["From"] == SMS_NUMBER


def test_an_sms_with_a_picture_gets_a_clear_answer(loket):
    sms(loket, "halo")
    sms(loket, "ini fotonya", media=[("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
                                      "image/jpeg")])
    loket.work()
    assert any("lewat SMS hanya teks" in b for b in bodies(loket))


def test_a_forged_signature_is_refused(loket):
    params = make_sms_inbound(body="halo", from_=CITIZEN, to=SMS_NUMBER)
    assert loket.post_twilio("/webhooks/twilio", params, signed=False, signature="Zm9yZ2Vk").status_code == 403
    assert loket.post_twilio("/webhooks/twilio", params, signed=False).status_code == 403
    loket.work()
    assert texts_received(loket) == []


def test_sms_is_a_channel_of_the_models():
    assert "sms" in CHANNELS


def test_officer_commands_are_never_run_from_sms(loket):
    """An SMS sender's number can be forged: an officer's own number texting /tiket gets where commands
    work, not the unit's tickets (which hold reporters' names)."""
    with session_scope(loket.sessions) as s:
        add_officer(s, name="Ketut Petugas", role="officer", units=["kesra"], whatsapp=CITIZEN)
    sms(loket, "halo")
    sms(loket, "pengaduan")
    loket.work()
    sms(loket, "/tiket semua")
    loket.work()
    answer = bodies(loket)[-1]
    assert "hanya dilayani lewat Telegram atau WhatsApp" in answer
    assert "ADU-" not in answer
