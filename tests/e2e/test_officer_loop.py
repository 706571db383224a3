"""The whole loop: a citizen files by WhatsApp, the unit's Telegram group hears of it, officers answer."""
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Ticket, TicketEvent
from bot.store.officers import add_officer
from tests.conftest import content_with_units, make_settings
from tests.fakes.telegram_api import make_callback_update, make_group_text_update, make_text_update
from tests.system import CITIZEN, Loket

@pytest.fixture
def database_url(both_databases):
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_databases


GROUP = -1001234567890
BUDI, SARI, ANDI = 9001, 9002, 9003  # officer, supervisor (kesra); officer of another unit


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    content = content_with_units(tmp_path, GROUP, with_umum=True)
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, content_dir=content)
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Budi Petugas", role="officer", units=["kesra"], telegram_user_id=BUDI)
        add_officer(s, name="Sari Supervisor", role="supervisor", units=["kesra"], telegram_user_id=SARI)
        add_officer(s, name="Andi Umum", role="officer", units=["umum"], telegram_user_id=ANDI)
    yield system
    system.close()


def file_complaint(loket, identity="2", name="Wayan Citizen"):
    for text in ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
                 "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati", identity):
        loket.whatsapp(text)
    if identity != "3":
        loket.whatsapp(name)
    loket.whatsapp("1")
    loket.work()
    return re.search(r"\*(ADU-\d{4}-\d{4})\*", loket.last_whatsapp()).group(1)


def group_says(loket, text, user):
    loket.telegram_update(make_group_text_update(text, chat_id=GROUP, user_id=user))
    loket.work()
    return loket.fake_telegram.calls("sendMessage", GROUP)[-1].params["text"]


def test_whole_loop_from_complaint_to_closed(loket):
    number = file_complaint(loket)
    notice = loket.fake_telegram.calls("sendMessage", GROUP)[-1]
    assert number in notice.params["text"] and "Petugas loket meminta biaya" in notice.params["text"]
    assert "Wayan" not in notice.params["text"] and "dirahasiakan" in notice.params["text"]
    buttons = json.loads(notice.params["reply_markup"]) if isinstance(notice.params["reply_markup"], str) \
        else notice.params["reply_markup"]
    assert [b[0]["text"] for b in buttons["inline_keyboard"]] == ["Ambil", "Balas", "Tutup"]

    loket.telegram_update(make_callback_update(f"o:take:{number}", chat_id=GROUP, user_id=BUDI))
    loket.work()
    assert f"Tiket {number} sekarang Anda tangani." in loket.telegram_texts(GROUP)[-1]

    answer = group_says(loket, f"/balas {number} Terima kasih, laporan Anda sedang kami periksa.", BUDI)
    assert answer == f"Balasan terkirim ke warga (tiket {number})."
    assert loket.last_whatsapp() == (f"Balasan petugas untuk tiket {number}:\n"
                                     "Terima kasih, laporan Anda sedang kami periksa.")

    group_says(loket, f"/catatan {number} Cek rekaman CCTV lantai 2", BUDI)
    assert "CCTV" not in "\n".join(loket.whatsapp_bodies())  # internal notes never reach the citizen

    group_says(loket, f"/tutup {number} Petugas telah diberi teguran; biaya dikembalikan.", BUDI)
    closing, intro, question = loket.whatsapp_bodies()[-3:]
    assert closing == f"Tiket {number} selesai. Jawaban akhir:\nPetugas telah diberi teguran; biaya dikembalikan."
    assert "Survei Kepuasan Masyarakat" in intro and question.startswith("Pertanyaan 1 dari 9")  # served: the survey
    loket.whatsapp(f"status {number}")
    loket.work()
    assert "Status: selesai" in loket.last_whatsapp()
    assert "Pembaruan terakhir: Petugas telah diberi teguran; biaya dikembalikan." in loket.last_whatsapp()

    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        trail = [(e.actor_kind, e.action, e.at) for e in
                 s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))]
    actions = [(kind, action) for kind, action, _ in trail]
    assert actions == [("citizen", "created"), ("officer", "assigned"), ("officer", "status_changed"),
                       ("officer", "replied"), ("officer", "noted"), ("officer", "answered"), ("officer", "closed")]
    assert all(at is not None for _, _, at in trail) and [t[2] for t in trail] == sorted(t[2] for t in trail)

    view = group_says(loket, f"/lihat {number}", BUDI)
    for step in ("created", "assigned", "replied", "noted", "closed", "Budi Petugas"):
        assert step in view


def test_confidential_name_only_for_the_complaint_manager(loket):
    number = file_complaint(loket)
    loket.telegram_update(make_text_update(f"/lihat {number}", chat_id=BUDI, user_id=BUDI))
    loket.telegram_update(make_text_update(f"/lihat {number}", chat_id=SARI, user_id=SARI))
    loket.work()
    assert "Pelapor: dirahasiakan" in loket.telegram_texts(BUDI)[-1]
    assert "Pelapor: Wayan Citizen" in loket.telegram_texts(SARI)[-1]


def test_other_unit_officer_can_neither_see_nor_change(loket):
    number = file_complaint(loket)
    for text in (f"/lihat {number}", f"/ambil {number}", f"/tutup {number} selesai", f"/balas {number} halo"):
        loket.telegram_update(make_text_update(text, chat_id=ANDI, user_id=ANDI))
    loket.telegram_update(make_text_update("/tiket semua", chat_id=ANDI, user_id=ANDI))
    loket.work()
    texts = loket.telegram_texts(ANDI)
    assert texts[:4] == [f"Tiket {number} tidak ada di unit Anda."] * 4
    assert number not in texts[4]
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.status == "new" and ticket.assignee_id is None


def test_non_officer_typing_a_command_gets_the_citizen_menu(loket):
    loket.whatsapp("/tiket")
    loket.work()
    assert "1. Informasi layanan" in loket.last_whatsapp()
    loket.telegram("/tiket", chat_id=7777)
    loket.work()
    assert "Silakan pilih" in loket.telegram_texts(7777)[-1]


def test_roles_supervisor_reassigns_and_reclassifies(loket):
    number = file_complaint(loket)
    refused = group_says(loket, f"/kelas {number} ringan", BUDI)
    assert refused == "Perintah ini hanya untuk supervisor unit."
    done = group_says(loket, f"/kelas {number} ringan", SARI)
    assert done.startswith(f"Tiket {number}: kelas Pengaduan ringan, batas waktu baru")
    group_says(loket, f"/alihkan {number} Budi", SARI)
    assert f"Tiket {number} dialihkan kepada Anda oleh Sari Supervisor." in loket.telegram_texts(BUDI)[-1]
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.sla_class == "ringan"
        assert ticket.deadline_at - ticket.opened_at <= timedelta(days=5)


def test_ask_the_citizen_and_their_answer_reaches_the_assignee(loket):
    number = file_complaint(loket)
    group_says(loket, f"/ambil {number}", BUDI)
    group_says(loket, f"/minta {number} Mohon sebutkan nama petugas yang meminta biaya.", BUDI)
    assert "Petugas memerlukan keterangan tambahan" in loket.last_whatsapp()
    loket.whatsapp("Namanya Pak Made, di loket 3")
    loket.work()
    assert loket.last_whatsapp() == f"Terima kasih, jawaban Anda sudah diteruskan ke petugas untuk tiket {number}."
    assert f"Jawaban warga untuk tiket <b>{number}</b>:\nNamanya Pak Made, di loket 3" in loket.telegram_texts(BUDI)[-1]
    with loket.sessions() as s:
        assert s.scalars(select(Ticket)).one().status == "in_progress"


def test_reply_outside_the_whatsapp_window_goes_as_template(loket):
    number = file_complaint(loket)
    with session_scope(loket.sessions) as s:
        from bot.store.models import Conversation
        convo = s.scalars(select(Conversation).where(Conversation.channel == "whatsapp")).one()
        convo.last_inbound_at = convo.last_inbound_at - timedelta(hours=25)
    group_says(loket, f"/balas {number} Kami sudah menindaklanjuti.", BUDI)
    last = loket.fake_twilio.messages_to(CITIZEN)[-1]
    assert last["ContentSid"] == "HX00000000000000000000000000000001"
    assert json.loads(last["ContentVariables"]) == {"1": number, "2": "Kami sudah menindaklanjuti."}
    assert not last.get("Body")


def test_reply_inside_the_window_is_free_form(loket):
    number = file_complaint(loket)
    group_says(loket, f"/balas {number} Sedang kami proses.", BUDI)
    last = loket.fake_twilio.messages_to(CITIZEN)[-1]
    assert last["Body"].endswith("Sedang kami proses.") and not last.get("ContentSid")


def test_63016_from_twilio_falls_back_to_the_template(loket):
    number = file_complaint(loket)
    from tests.fakes.twilio_api import twilio_error
    loket.fake_twilio.fail_when(lambda form: twilio_error(63016) if form.get("Body") and "Kami cek" in form["Body"] else None)
    group_says(loket, f"/balas {number} Kami cek dulu.", BUDI)
    last = loket.fake_twilio.messages_to(CITIZEN)[-1]
    assert last["ContentSid"] == "HX00000000000000000000000000000001"
    assert json.loads(last["ContentVariables"])["2"] == "Kami cek dulu."


def test_63016_reported_later_by_status_callback_resends_as_template(loket):
    from tests.fakes.twilio_api import make_status_callback
    number = file_complaint(loket)
    group_says(loket, f"/balas {number} Mohon ditunggu.", BUDI)
    relayed = loket.fake_twilio.messages_to(CITIZEN)[-1]
    assert relayed["Body"].endswith("Mohon ditunggu.")
    callback = make_status_callback(relayed["sid"], "failed", error_code=63016,
                                    account_sid=loket.settings.twilio_account_sid)
    assert loket.post_twilio("/webhooks/twilio/status", callback).status_code in (200, 204)
    assert loket.post_twilio("/webhooks/twilio/status", callback).status_code in (200, 204)  # Twilio may repeat it
    loket.work()
    templates = [m for m in loket.fake_twilio.messages_to(CITIZEN) if m.get("ContentSid")]
    assert len(templates) == 1
    assert json.loads(templates[0]["ContentVariables"]) == {"1": number, "2": "Mohon ditunggu."}


def test_officer_on_whatsapp_is_notified_and_answers(loket):
    officer_phone = "whatsapp:+6281299990000"
    with session_scope(loket.sessions) as s:
        add_officer(s, name="Komang WA", role="officer", units=["kesra"], whatsapp="+6281299990000")
    number = file_complaint(loket)
    notice = loket.last_whatsapp(officer_phone)
    assert number in notice and "Ambil" not in notice  # buttons are Telegram-only
    loket.whatsapp(f"/balas {number} Baik, kami tindak lanjuti hari ini.", from_=officer_phone)
    loket.work()
    assert loket.last_whatsapp(officer_phone) == f"Balasan terkirim ke warga (tiket {number})."
    assert loket.last_whatsapp() == f"Balasan petugas untuk tiket {number}:\nBaik, kami tindak lanjuti hari ini."
    loket.whatsapp("/tiket saya", from_=officer_phone)
    loket.work()
    assert number in loket.last_whatsapp(officer_phone)


def test_a_photo_answering_an_officers_question_becomes_evidence(loket):
    from bot.store.models import Evidence
    from tests.media_samples import jpeg
    number = file_complaint(loket)
    group_says(loket, f"/ambil {number}", BUDI)
    group_says(loket, f"/minta {number} Mohon kirim foto kuitansinya.", BUDI)
    photo = jpeg((50, 50, 50))
    url = loket.fake_twilio.add_media(photo, "image/jpeg")
    loket.whatsapp("ini kuitansinya", media=[(url, "image/jpeg")])
    loket.work()
    assert loket.last_whatsapp() == f"Terima kasih, jawaban Anda sudah diteruskan ke petugas untuk tiket {number}."
    assert "ini kuitansinya\n(warga mengirim berkas: 1)" in loket.telegram_texts(BUDI)[-1]
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        (ev,) = s.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id)).all()
        assert ev.mime == "image/jpeg" and ticket.status == "in_progress"
