"""The SKM survey in the chat after an officer's /tutup, on WhatsApp and Telegram, as citizens answer it."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Conversation, SurveyResponse
from bot.store.officers import add_officer
from bot.store.surveys import get_response
from bot.store.tickets import create_ticket
from tests.conftest import content_with_units, make_settings
from tests.fakes.telegram_api import make_group_text_update, make_text_update
from tests.system import CITIZEN, Loket
from bot.queues import Queues, queue


@pytest.fixture
def database_url(both_databases):
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_databases


GROUP = -1001234567890
BUDI, SARI = 9001, 9002  # officer and supervisor of kesra
CHAT = 555000222  # a citizen on Telegram
SUGGESTION = "Antrean di loket perlu dipercepat"
SURVEY_INVITE_SID = "HX00000000000000000000000000000011"


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = content_with_units(tmp_path, GROUP, with_umum=True)
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content)
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Budi Petugas", role="officer", units=["kesra"], telegram_user_id=BUDI)
        add_officer(s, name="Sari Supervisor", role="supervisor", units=["kesra"], telegram_user_id=SARI)
    yield system
    system.close()


COMPLAINT = ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
             "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati")


def whatsapp_complaint(loket, *, anonymous: bool = False) -> str:
    for text in (*COMPLAINT, "3" if anonymous else "1"):
        loket.whatsapp(text)
    if not anonymous:
        loket.whatsapp("Wayan Citizen")
    loket.whatsapp("1")
    loket.work()
    return re.search(r"\*(ADU-\d{4}-\d{4})\*", loket.last_whatsapp()).group(1)


def telegram_complaint(loket) -> str:
    for text in (*COMPLAINT, "3", "1"):  # anonymous: the ticket keeps no citizen, the chat still is theirs
        loket.telegram(text, chat_id=CHAT)
    loket.work()
    return re.search(r"(ADU-\d{4}-\d{4})", loket.telegram_texts(CHAT)[-1]).group(1)


def officer_closes(loket, number: str, text: str = "Biaya sudah dikembalikan.") -> None:
    loket.telegram_update(make_group_text_update(f"/tutup {number} {text}", chat_id=GROUP, user_id=BUDI))
    loket.work()


def say(loket, *texts: str) -> str:
    """The citizen types on WhatsApp; returns everything the bot answered to these messages."""
    before = len(loket.whatsapp_bodies())
    for text in texts:
        loket.whatsapp(text)
    loket.work()
    return "\n".join(loket.whatsapp_bodies()[before:])


def press(loket, label: str) -> str:
    """Tap the Telegram button whose label ends with ``label``; returns what the bot answered."""
    last = loket.fake_telegram.calls("sendMessage", CHAT)[-1]
    markup = last.params["reply_markup"]
    rows = (json.loads(markup) if isinstance(markup, str) else markup)["inline_keyboard"]
    data = next(b["callback_data"] for row in rows for b in row if b["text"].endswith(label))
    before = len(loket.telegram_texts(CHAT))
    loket.telegram_press(data, chat_id=CHAT)
    loket.work()
    return "\n".join(loket.telegram_texts(CHAT)[before:])


def window_closed(loket, channel: str = "whatsapp", hours: int = 25) -> None:
    with session_scope(loket.sessions) as s:
        convo = s.scalars(select(Conversation).where(Conversation.channel == channel)).one()
        convo.last_inbound_at = convo.last_inbound_at - timedelta(hours=hours)


def test_whatsapp_survey_after_tutup_answered_in_numbers_and_words(loket):
    number = whatsapp_complaint(loket)
    officer_closes(loket, number)
    closing, intro, first = loket.fake_twilio.messages_to(CITIZEN)[-3:]
    assert closing["Body"].startswith(f"Tiket {number} selesai.")
    assert "Survei Kepuasan Masyarakat, 9 pertanyaan singkat, tanpa nama" in intro["Body"]
    assert first["Body"].startswith("Pertanyaan 1 dari 9") and "4. Sangat sesuai" in first["Body"]
    assert not first.get("ContentSid")  # inside the 24-hour window: free-form

    assert say(loket, "4").startswith("Pertanyaan 2 dari 9")
    assert say(loket, "puas").startswith("Pertanyaan 3 dari 9")
    assert say(loket, "sangat baik").startswith("Pertanyaan 4 dari 9")
    assert say(loket, "setuju").startswith("Pertanyaan 5 dari 9")
    asked = say(loket, "syarat konsultasi apa saja?")  # a question mid-survey: answered, then the survey goes on
    assert "Persyaratan" in asked and "Surat tugas" in asked and "Pertanyaan 5 dari 9" in asked
    say(loket, "3", "4", "d", "baik")
    assert "Jenis kelamin" in say(loket, "kurang")
    say(loket, "perempuan", "34", "tidak ada", "swasta")
    assert "Terima kasih atas penilaian Anda" in say(loket, SUGGESTION)

    response = get_response(loket.sessions, number)
    assert response.completed and response.kind == "complaint" and response.channel == "whatsapp"
    assert response.scores == {"u1": 4, "u2": 3, "u3": 4, "u4": 3, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 2}
    assert response.profile == {"gender": "female", "age": "30", "education": None, "occupation": "swasta"}
    assert response.suggestion == SUGGESTION
    assert "Belum ada layanan yang selesai untuk dinilai" in say(loket, "isi survei")  # one response per ticket


def test_a_consultation_served_is_rated_as_a_consultation(loket):
    say(loket, "halo")
    with session_scope(loket.sessions) as s:
        convo = s.scalars(select(Conversation).where(Conversation.channel == "whatsapp")).one()
        now = datetime.now(timezone.utc)
        ticket, _ = create_ticket(s, conversation=convo, citizen=None, draft_key="k1", kind="consultation",
                                  prefix="KON", unit="kesra", sla_class="normatif", deadline_at=now + timedelta(days=5),
                                  opened_at=now, service_id="konsultasi", description="Konsultasi proposal hibah")
        number = ticket.number
    officer_closes(loket, number, "Konsultasi telah dilayani.")
    assert "Pertanyaan 1 dari 9" in loket.last_whatsapp()
    say(loket, "sangat puas")
    response = get_response(loket.sessions, number)
    assert response.kind == "consultation" and response.service_id == "konsultasi" and response.scores["u1"] == 4


def test_whatsapp_citizen_stops_at_element_5_and_the_answers_stay(loket):
    number = whatsapp_complaint(loket)
    officer_closes(loket, number)
    say(loket, "3", "sangat puas", "2", "0")  # "0": one question back, the third answer is given again
    assert "Pertanyaan 5 dari 9" in say(loket, "tidak cepat", "4")
    stopped = say(loket, "berhenti")
    assert "survei dihentikan. Jawaban yang sudah Anda berikan tetap kami simpan" in stopped
    assert "1. Informasi layanan" in stopped  # back to the main menu
    response = get_response(loket.sessions, number)
    assert not response.completed
    assert response.scores == {"u1": 3, "u2": 4, "u3": 1, "u4": 4, "u5": None, "u6": None, "u7": None,
                               "u8": None, "u9": None}


def test_telegram_survey_with_buttons_after_tutup(loket):
    number = telegram_complaint(loket)
    window_closed(loket, "telegram", hours=72)  # Telegram has no 24-hour window
    officer_closes(loket, number)
    texts = loket.telegram_texts(CHAT)
    assert re.sub(r"</?b>", "", texts[-3]) == f"Tiket {number} selesai. Jawaban akhir:\nBiaya sudah dikembalikan."
    assert "Pertanyaan 1 dari 9" in texts[-1]
    for label in ("Sangat sesuai", "Mudah", "Cepat", "Gratis"):
        press(loket, label)
    assert "Pertanyaan 5 dari 9" in loket.telegram_texts(CHAT)[-1]
    for label in ("Sesuai", "Sangat kompeten", "Sopan dan ramah", "Dikelola dengan baik"):
        press(loket, label)
    assert "Jenis kelamin" in press(loket, "Sangat baik")
    press(loket, "Laki-laki")
    for label in ("Lewati", "S1", "Wirausaha"):
        press(loket, label)
    loket.telegram("lewati", chat_id=CHAT)
    loket.work()
    assert "Terima kasih atas penilaian Anda" in loket.telegram_texts(CHAT)[-2]
    response = get_response(loket.sessions, number)
    assert response.completed and response.channel == "telegram"
    assert list(response.scores.values()) == [4, 3, 3, 4, 3, 4, 3, 4, 4]
    assert response.profile == {"gender": "male", "age": None, "education": "s1", "occupation": "wirausaha"}
    assert response.suggestion is None
    assert not loket.fake_telegram.calls("sendMessage", CHAT, ok=False)


def test_outside_the_window_the_invitation_is_the_template_and_ya_begins(loket):
    number = whatsapp_complaint(loket)
    window_closed(loket)
    officer_closes(loket, number)
    update, invite = loket.fake_twilio.messages_to(CITIZEN)[-2:]
    assert update["ContentSid"] == "HX00000000000000000000000000000001"  # the ticket_update template
    assert invite["ContentSid"] == SURVEY_INVITE_SID and not invite.get("Body")
    assert json.loads(invite["ContentVariables"]) == {"1": number}
    assert get_response(loket.sessions, number) is None
    begun = say(loket, "ya")
    assert "Survei Kepuasan Masyarakat" in begun and "Pertanyaan 1 dari 9" in begun
    say(loket, "4")
    assert get_response(loket.sessions, number).scores["u1"] == 4


def test_declined_invitation_then_the_citizen_asks_for_the_survey(loket):
    number = whatsapp_complaint(loket)
    window_closed(loket)
    officer_closes(loket, number)
    assert "ketik *isi survei*" in say(loket, "tidak")
    assert get_response(loket.sessions, number) is None
    begun = say(loket, "mau isi survey")
    assert "Pertanyaan 1 dari 9" in begun
    say(loket, "3")
    assert get_response(loket.sessions, number).scores["u1"] == 3


def test_another_message_to_the_invitation_is_answered_as_usual(loket):
    number = whatsapp_complaint(loket)
    window_closed(loket)
    officer_closes(loket, number)
    answered = say(loket, "syarat konsultasi apa saja?")
    assert "Surat tugas" in answered and "Pertanyaan 1" not in answered
    assert "Pertanyaan 1 dari 9" in say(loket, "isi survei")


def test_isi_survei_with_nothing_served(loket):
    assert "Belum ada layanan yang selesai untuk dinilai" in say(loket, "isi survei")
    loket.telegram("survei kepuasan", chat_id=CHAT)
    loket.work()
    assert "Belum ada layanan yang selesai" in loket.telegram_texts(CHAT)[-1]


def test_a_citizen_in_a_new_form_is_not_interrupted(loket):
    number = whatsapp_complaint(loket)
    say(loket, "pengaduan", "1")  # a second complaint begun: the description is asked for
    officer_closes(loket, number)
    assert loket.last_whatsapp().startswith(f"Tiket {number} selesai.")  # the survey waits
    scheduled = queue(loket.redis, Queues.SEND, loket.settings.queue_prefix).scheduled_job_registry
    [job_id] = scheduled.get_job_ids()
    say(loket, "batal")  # the second complaint dropped: the chat is free again
    send = queue(loket.redis, Queues.SEND, loket.settings.queue_prefix)
    send.enqueue_job(send.fetch_job(job_id))  # fifteen minutes later
    loket.work()
    assert "Pertanyaan 1 dari 9" in loket.last_whatsapp()


def test_no_invitation_to_a_citizen_whose_data_was_erased(loket):
    number = whatsapp_complaint(loket)
    say(loket, "hapus data saya", "1")
    before = len(loket.fake_twilio.messages_to(CITIZEN))
    officer_closes(loket, number)
    sent = loket.fake_twilio.messages_to(CITIZEN)[before:]
    assert not any("Survei" in (m.get("Body") or "") for m in sent) and not any(m.get("ContentSid") for m in sent)


def test_officers_never_see_who_answered(loket):
    number = whatsapp_complaint(loket, anonymous=False)
    officer_closes(loket, number)
    say(loket, "4", "4", "4", "4", "4", "4", "4", "4", "4", "lewati", "lewati", "lewati", "lewati", SUGGESTION)
    assert get_response(loket.sessions, number).completed
    for user in (BUDI, SARI):
        loket.telegram_update(make_text_update(f"/lihat {number}", chat_id=user, user_id=user))
    loket.telegram_update(make_text_update("/ikm", chat_id=SARI, user_id=SARI))
    loket.work()
    seen = "\n".join([*loket.telegram_texts(BUDI), *loket.telegram_texts(SARI), *loket.telegram_texts(GROUP)])
    assert SUGGESTION not in seen and "Survei" not in seen
    ikm = loket.telegram_texts(SARI)[-1]
    assert "Responden: 1" in ikm and number not in ikm and "Wayan" not in ikm
    columns = set(SurveyResponse.__table__.columns.keys())
    assert not columns & {"citizen_id", "conversation_id", "chat_id", "chat_key", "sender_id", "phone"}
