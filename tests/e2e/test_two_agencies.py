"""Two agencies in one deployment: each on its own WhatsApp number and Telegram bot (channels.yaml).

Kesra Buleleng and DPMPTSP Bangli share the worker, the database and the ticket counter, and nothing
else: a citizen's complaint reaches only its agency's officers, an officer sees only their agency's
tickets, each agency gets its own digest, and ticket numbers never repeat across them.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Conversation, Digest, InboundEvent, Ticket
from bot.store.officers import add_officer
from tests.conftest import content_with_channels, make_settings
from tests.fakes.telegram_api import make_text_update
from tests.fakes.twilio_api import make_inbound
from tests.system import Loket
from workers import digest

KESRA_WA = "whatsapp:+14155550101"
BANGLI_WA = "whatsapp:+14155550102"
BANGLI_TOKEN = "654321:BANGLI-token"
BANGLI_SECRET = "bangli-webhook-secret"
CITIZEN = "whatsapp:+6281234567890"  # writes to both agencies' numbers
TG_CITIZEN = 700000042
KESRA_GROUP = -1001111111111
BUDI, KOMANG = 9001, 9101  # officers: Kesra's (unit kesra), Bangli's (unit pengaduan)

CHANNELS = f"""\
- id: wa-kesra
  provider: whatsapp
  address: "{KESRA_WA}"
  agencies: [buleleng-kesra]
- id: wa-bangli
  provider: whatsapp
  address: "{BANGLI_WA}"
  agencies: [bangli-dpmptsp]
- id: tg-kesra
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN
  secret_env: TELEGRAM_WEBHOOK_SECRET
  agencies: [buleleng-kesra]
- id: tg-bangli
  provider: telegram
  token_env: TELEGRAM_BOT_TOKEN_BANGLI
  secret_env: TELEGRAM_WEBHOOK_SECRET_BANGLI
  agencies: [bangli-dpmptsp]
"""


@pytest.fixture
def database_url(both_databases):
    return both_databases


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = content_with_channels(tmp_path, CHANNELS, KESRA_GROUP)
    fake_telegram.other_tokens.add(BANGLI_TOKEN)
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content,
                             agencies="buleleng-kesra,bangli-dpmptsp",
                             channel_settings=(("TELEGRAM_BOT_TOKEN_BANGLI", BANGLI_TOKEN),
                                               ("TELEGRAM_WEBHOOK_SECRET_BANGLI", BANGLI_SECRET)))
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Budi Kesra", role="supervisor", units=["kesra"], telegram_user_id=BUDI,
                    agency_id="buleleng-kesra")
        add_officer(s, name="Komang Bangli", role="supervisor", units=["pengaduan"], telegram_user_id=KOMANG,
                    agency_id="bangli-dpmptsp")
    yield system
    system.close()


# ------------------------------------------------------------------ the chat

def whatsapp_to(loket, number: str, text: str, from_: str = CITIZEN):
    params = make_inbound(body=text, from_=from_, to=number, account_sid=loket.settings.twilio_account_sid)
    return loket.post_twilio("/webhooks/twilio", params)


def replies_from(loket, number: str, to: str = CITIZEN) -> list[str]:
    return [m["Body"] for m in loket.fake_twilio.messages_to(to) if m.get("From") == number and m.get("Body")]


def bangli_bot(loket, text: str, chat_id: int = TG_CITIZEN, secret: str = BANGLI_SECRET, **kw):
    update = make_text_update(text, chat_id=chat_id, **kw)
    return loket.client.post("/webhooks/telegram/tg-bangli", json=update,
                             headers={"X-Telegram-Bot-Api-Secret-Token": secret})


def bot_texts(loket, chat_id: int, token: str) -> list[str]:
    return [c.params["text"] for c in loket.fake_telegram.calls("sendMessage", chat_id, ok=True) if c.token == token]


def officer_says(loket, text: str, user: int) -> str:
    loket.telegram_update(make_text_update(text, chat_id=user, user_id=user))
    loket.work()
    return loket.fake_telegram.texts_to(user)[-1]


def number_in(text: str) -> str:
    return re.search(r"(?:\*|<b>)(ADU-\d{4}-\d{4})(?:\*|</b>)", text).group(1)


def kesra_complaint(loket) -> str:
    for text in ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
                 "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati", "3", "1"):
        whatsapp_to(loket, KESRA_WA, text)
    loket.work()
    return number_in(replies_from(loket, KESRA_WA)[-1])


def bangli_complaint(loket, send) -> None:
    for text in ("halo", "pengaduan", "1", "Izin usaha saya belum diproses sejak dua bulan",
                 "Kantor DPMPTSP Bangli", "Senin lalu", "2", "lewati", "3", "1"):
        send(text)
    loket.work()


# ------------------------------------------------------------------ the tests

def test_each_complaint_reaches_only_its_agencys_officers(loket):
    kesra_number = kesra_complaint(loket)
    bangli_complaint(loket, lambda text: bangli_bot(loket, text))
    bangli_number = number_in(bot_texts(loket, TG_CITIZEN, BANGLI_TOKEN)[-1])

    assert kesra_number != bangli_number  # one counter per prefix for the whole deployment
    # The Bangli citizen was answered by Bangli's bot in Bangli's name, never by Kesra's.
    bangli_chat = bot_texts(loket, TG_CITIZEN, BANGLI_TOKEN)
    assert "DPMPTSP Kabupaten Bangli" in bangli_chat[0]
    assert bot_texts(loket, TG_CITIZEN, loket.fake_telegram.token) == []
    # The Kesra citizen was answered from Kesra's number.
    assert "Setda Kabupaten Buleleng" in replies_from(loket, KESRA_WA)[0]

    kesra_group = loket.fake_telegram.texts_to(KESRA_GROUP)
    komang = loket.fake_telegram.texts_to(KOMANG)
    assert any(kesra_number in t for t in kesra_group) and not any(bangli_number in t for t in kesra_group)
    assert any(bangli_number in t for t in komang) and not any(kesra_number in t for t in komang)
    # Officers hear the ticket from their own agency's bot (channels.yaml), not the settings' default one.
    assert bot_texts(loket, KOMANG, BANGLI_TOKEN) == komang

    with loket.sessions() as s:
        tickets = {t.number: t for t in s.scalars(select(Ticket))}
    assert (tickets[kesra_number].agency_id, tickets[kesra_number].unit) == ("buleleng-kesra", "kesra")
    assert (tickets[bangli_number].agency_id, tickets[bangli_number].unit) == ("bangli-dpmptsp", "pengaduan")
    assert tickets[bangli_number].sla_class == "pengaduan"  # Bangli's own SLA class


def test_an_officer_gets_not_found_for_another_agencys_ticket(loket):
    kesra_number = kesra_complaint(loket)
    bangli_complaint(loket, lambda text: bangli_bot(loket, text))
    bangli_number = number_in(bot_texts(loket, TG_CITIZEN, BANGLI_TOKEN)[-1])

    assert officer_says(loket, f"/lihat {bangli_number}", BUDI) == f"Tiket {bangli_number} tidak ada di unit Anda."
    assert officer_says(loket, f"/lihat {kesra_number}", KOMANG) == f"Tiket {kesra_number} tidak ada di unit Anda."
    assert bangli_number in officer_says(loket, f"/lihat {bangli_number}", KOMANG)
    listed = officer_says(loket, "/tiket semua", BUDI)
    assert kesra_number in listed and bangli_number not in listed


def test_one_phone_writing_to_two_agencies_has_two_conversations(loket):
    whatsapp_to(loket, KESRA_WA, "halo")
    whatsapp_to(loket, BANGLI_WA, "halo")
    loket.work()
    assert "Setda Kabupaten Buleleng" in replies_from(loket, KESRA_WA)[0]
    assert "DPMPTSP Kabupaten Bangli" in replies_from(loket, BANGLI_WA)[0]
    bangli_complaint(loket, lambda text: whatsapp_to(loket, BANGLI_WA, text))
    number = number_in(replies_from(loket, BANGLI_WA)[-1])
    # Halfway through Bangli's form, the Kesra chat is still at its own greeting: two states.
    whatsapp_to(loket, KESRA_WA, "status " + number)
    loket.work()
    assert f"{number}" in replies_from(loket, KESRA_WA)[-1]
    assert "tidak" in replies_from(loket, KESRA_WA)[-1].lower()  # not this conversation's ticket
    with loket.sessions() as s:
        convos = {(c.instance, c.agency_id) for c in s.scalars(select(Conversation))}
    assert convos == {("wa-kesra", "buleleng-kesra"), ("wa-bangli", "bangli-dpmptsp")}


def test_digests_are_per_agency(loket):
    kesra_number = kesra_complaint(loket)
    bangli_complaint(loket, lambda text: bangli_bot(loket, text))
    bangli_number = number_in(bot_texts(loket, TG_CITIZEN, BANGLI_TOKEN)[-1])
    with session_scope(loket.sessions) as s:  # the digest's clock: a working morning after both were filed
        opened = max(t.opened_at for t in s.scalars(select(Ticket)))
    morning = _next_working_morning(loket, opened)
    assert digest.digest_if_due(morning) == 2
    kesra_digest = [t for t in loket.fake_telegram.texts_to(KESRA_GROUP) if "Ringkasan harian" in t][-1]
    bangli_digest = [t for t in loket.fake_telegram.texts_to(KOMANG) if "Ringkasan harian" in t][-1]
    assert kesra_number in kesra_digest and bangli_number not in kesra_digest
    assert bangli_number in bangli_digest and kesra_number not in bangli_digest
    with loket.sessions() as s:
        assert sorted((d.agency_id, d.unit) for d in s.scalars(select(Digest))) == [
            ("bangli-dpmptsp", "pengaduan"), ("buleleng-kesra", "kesra")]


def _next_working_morning(loket, after: datetime) -> datetime:
    """The first 09:00 WITA after ``after`` on a working day of both agencies.

    The same day's 09:00 when ``after`` is earlier in the morning: a ticket filed at 00:05 WITA is in that
    morning's digest, not the next day's (the test once failed when run between 16:00 and 01:00 UTC).
    """
    cals = [loket.runtime.calendar_for(a) for a in ("buleleng-kesra", "bangli-dpmptsp")]
    day = cals[0].local(after).date()
    while True:
        morning = datetime.combine(day, datetime.min.time(), tzinfo=cals[0].tz).replace(hour=9)
        if morning > after and all(c.is_working_day(day) for c in cals):
            return morning.astimezone(timezone.utc)
        day += timedelta(days=1)


def test_a_message_to_an_unknown_number_is_answered_and_never_processed(loket):
    response = whatsapp_to(loket, "whatsapp:+14155550199", "halo, saya mau mengadu")
    assert response.status_code == 200
    loket.work()
    assert loket.fake_twilio.messages_to(CITIZEN) == []
    with loket.sessions() as s:
        rows = list(s.scalars(select(InboundEvent)))
        assert [(r.chat_key, r.processed_at is not None, r.message) for r in rows] == [("unroutable", True, {})]
        assert "halo" not in str(rows[0].payload)
        assert list(s.scalars(select(Conversation))) == []


def test_each_bot_takes_only_its_own_secret(loket):
    assert bangli_bot(loket, "halo", secret=loket.settings.telegram_webhook_secret).status_code == 403
    assert bangli_bot(loket, "halo", secret="").status_code == 403
    unknown = loket.client.post("/webhooks/telegram/tg-nobody", json=make_text_update("halo"),
                                headers={"X-Telegram-Bot-Api-Secret-Token": BANGLI_SECRET})
    assert unknown.status_code == 200
    loket.work()
    assert loket.fake_telegram.calls("sendMessage") == []
    assert bangli_bot(loket, "halo").status_code == 200
    loket.work()
    assert "DPMPTSP Kabupaten Bangli" in bot_texts(loket, TG_CITIZEN, BANGLI_TOKEN)[0]
