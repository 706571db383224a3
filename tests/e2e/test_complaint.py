"""A citizen files a complaint with proof, on WhatsApp and on Telegram, and checks its status."""
import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.store.models import Evidence, Ticket, TicketEvent
from tests.fakes.telegram_api import make_document_update, make_sticker_update
from tests.media_samples import EXE, PDF, jpeg, png
from tests.system import CITIZEN

@pytest.fixture
def database_url(both_databases):
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_databases


NUMBER = re.compile(r"\*(ADU-\d{4}-\d{4})\*")


def _complaint_until_evidence(say):
    for text in ("halo", "pengaduan", "1", "Petugas meminta uang untuk surat keterangan",
                 "Kantor Bupati Buleleng, lantai 2", "Senin kemarin pukul 10.00", "4"):
        say(text)


def test_whatsapp_complaint_with_two_photos_becomes_a_ticket(loket):
    photos = [jpeg(), png()]
    urls = [loket.fake_twilio.add_media(photos[0], "image/jpeg"), loket.fake_twilio.add_media(photos[1], "image/png")]
    _complaint_until_evidence(loket.whatsapp)
    loket.whatsapp("", media=[(urls[0], "image/jpeg"), (urls[1], "image/png")])
    loket.work()
    assert "Bukti diterima (2)" in loket.last_whatsapp()
    for text in ("selesai", "2", "Budi Santoso"):
        loket.whatsapp(text)
    loket.work()
    summary = loket.last_whatsapp()
    assert "Isi: Petugas meminta uang untuk surat keterangan" in summary
    assert "Bukti: 2 berkas" in summary
    assert "Identitas: Rahasia (nama hanya diketahui pengelola pengaduan): Budi Santoso" in summary
    loket.whatsapp("1")
    loket.work()
    confirmation = loket.last_whatsapp()
    number = NUMBER.search(confirmation).group(1)
    assert "Pengaduan berkadar pengawasan dan memerlukan pemeriksaan" in confirmation

    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.number == number and ticket.kind == "complaint" and ticket.unit == "kesra"
        assert ticket.sla_class == "berkadar_pengawasan" and ticket.identity_mode == "confidential"
        assert ticket.reporter_name == "Budi Santoso"
        evidence = s.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id).order_by(Evidence.id)).all()
        assert [e.mime for e in evidence] == ["image/jpeg", "image/png"]
        for ev, content in zip(evidence, photos):
            assert ev.sha256 == hashlib.sha256(content).hexdigest()
            assert Path(ev.stored_path).read_bytes() == content
        assert [e.action for e in s.scalars(select(TicketEvent))] == ["created"]

    loket.whatsapp(f"status {number}")
    loket.work()
    status = loket.last_whatsapp()
    assert f"Tiket *{number}* (pengaduan)" in status and "Status: diterima" in status


def test_another_chat_learns_nothing_about_the_ticket(loket):
    _complaint_until_evidence(loket.whatsapp)
    for text in ("lewati", "3", "1"):
        loket.whatsapp(text)
    loket.work()
    number = NUMBER.search(loket.last_whatsapp()).group(1)
    other = "whatsapp:+6281399998888"
    loket.whatsapp(f"cek {number}", from_=other)
    loket.work()
    assert loket.last_whatsapp(other) == (f"Tiket {number} tidak ditemukan di chat ini. "
                                           "Periksa kembali nomornya, atau ketik *tiket saya*.")
    loket.whatsapp("tiket saya")
    loket.work()
    assert number in loket.last_whatsapp()


def test_telegram_complaint_with_a_pdf(loket):
    chat = 8800
    file_id = loket.fake_telegram.add_file(PDF, "bukti.pdf", "application/pdf")
    for text in ("halo", "2", "1", "Jalan rusak di depan kantor desa tidak diperbaiki", "Desa Panji", "minggu lalu", "2"):
        loket.telegram(text, chat_id=chat)
    loket.telegram_update(make_document_update(file_id, "bukti.pdf", "application/pdf", len(PDF), chat_id=chat))
    for text in ("selesai", "3", "1"):
        loket.telegram(text, chat_id=chat)
    loket.work()
    confirmation = loket.telegram_texts(chat)[-1]
    number = re.search(r"<b>(ADU-\d{4}-\d{4})</b>", confirmation).group(1)
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.identity_mode == "anonymous" and ticket.citizen_id is None and ticket.reporter_name is None
        assert ticket.sla_class == "normatif"
        (ev,) = s.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id)).all()
        assert ev.mime == "application/pdf" and ev.sha256 == hashlib.sha256(PDF).hexdigest()
    loket.telegram(f"status {number}", chat_id=chat)
    loket.work()
    assert f"Tiket <b>{number}</b>" in loket.telegram_texts(chat)[-1]


def test_bad_evidence_gets_clear_replies_and_the_draft_survives(loket):
    from tests.fakes.telegram_api import make_video_update
    chat = 8801
    for text in ("halo", "2", "1"):
        loket.telegram(text, chat_id=chat)
    loket.telegram("ok", chat_id=chat)  # too short to be a complaint
    for text in ("Antrian sangat panjang dan tidak ada petugas", "Kantor Kesra", "hari ini", "2"):
        loket.telegram(text, chat_id=chat)
    big = loket.fake_telegram.add_file(b"\x00" * 16, "video.mp4", "video/mp4")
    loket.telegram_update(make_video_update(file_size=30 * 1024 * 1024, file_id=big, chat_id=chat))
    exe = loket.fake_telegram.add_file(EXE, "foto.jpg", "image/jpeg")
    loket.telegram_update(make_document_update(exe, "foto.jpg", "image/jpeg", len(EXE), chat_id=chat))
    loket.telegram_update(make_sticker_update(chat_id=chat))
    loket.work()
    texts = loket.telegram_texts(chat)
    assert any("Isi pengaduan tidak boleh kosong" in t for t in texts)
    assert any("ukuran 30.0 MB melebihi batas 10.0 MB" in t for t in texts)
    assert any("isi berkas tidak sesuai jenisnya" in t for t in texts)
    assert any("pesan jenis ini (stiker) belum bisa saya proses" in t for t in texts)
    # Nothing was lost: finish and the summary has everything given before.
    for text in ("selesai", "3"):
        loket.telegram(text, chat_id=chat)
    loket.work()
    summary = loket.telegram_texts(chat)[-1]
    assert "Isi: Antrian sangat panjang dan tidak ada petugas" in summary
    assert "Tempat: Kantor Kesra" in summary and "Bukti: 0 berkas" in summary


def test_whatsapp_video_and_empty_description(loket):
    for text in ("halo", "2", "1", " "):
        loket.whatsapp(text)
    loket.work()
    assert "Isi pengaduan tidak boleh kosong" in loket.whatsapp_bodies()[-2]
    for text in ("Pelayanan lambat sekali", "Singaraja", "tadi pagi", "1"):
        loket.whatsapp(text)
    video = loket.fake_twilio.add_media(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 100, "video/mp4")
    loket.whatsapp("", media=[(video, "video/mp4")])
    loket.work()
    assert "jenis video/mp4 tidak diterima" in loket.last_whatsapp()
    assert not loket.fake_twilio.media_fetches  # refused without downloading


def test_batal_discards_the_draft_and_says_so(loket):
    for text in ("halo", "2", "1", "Ada pungutan liar"):
        loket.whatsapp(text)
    loket.whatsapp("batal")
    loket.work()
    assert loket.whatsapp_bodies()[-2] == "Baik, isian dibatalkan dan tidak disimpan."
    loket.whatsapp("2")
    loket.work()
    assert loket.last_whatsapp().startswith("Sebelum melanjutkan")  # a fresh draft starts with consent


def test_leaving_and_coming_back_resumes_the_draft(loket):
    for text in ("halo", "2", "1", "Ruang tunggu panas dan kotor", "menu", "syarat konsultasi", "menu", "2"):
        loket.whatsapp(text)
    loket.work()
    bodies = loket.whatsapp_bodies()
    assert bodies[-2] == "Melanjutkan isian Anda sebelumnya."
    assert bodies[-1].startswith("Di mana kejadiannya?")


def test_refusing_consent_stores_nothing(loket):
    for text in ("halo", "2", "2"):
        loket.whatsapp(text)
    loket.work()
    assert "tidak ada data yang disimpan" in loket.whatsapp_bodies()[-2]
    with loket.sessions() as s:
        assert s.scalars(select(Ticket)).all() == []


def test_duplicate_final_confirmation_makes_one_ticket(loket):
    _complaint_until_evidence(loket.whatsapp)
    for text in ("lewati", "3"):
        loket.whatsapp(text)
    confirm = loket.fake_twilio.inbound("1", from_=CITIZEN)
    loket.post_twilio("/webhooks/twilio", confirm)
    loket.post_twilio("/webhooks/twilio", confirm)
    loket.whatsapp("1")  # and the citizen presses "Kirim" again
    loket.work()
    with loket.sessions() as s:
        assert len(s.scalars(select(Ticket)).all()) == 1
    assert sum("tercatat dengan nomor" in b for b in loket.whatsapp_bodies()) == 1


def test_place_as_a_shared_location(loket):
    for text in ("halo", "2", "1", "Lampu jalan mati sejak seminggu"):
        loket.whatsapp(text)
    loket.whatsapp("", location=(-8.112, 115.0912, "Jl. Ngurah Rai, Singaraja", "Depan kantor"))
    for text in ("tadi malam", "1", "lewati", "3"):
        loket.whatsapp(text)
    loket.work()
    summary = loket.last_whatsapp()
    assert "Tempat: " in summary and "(-8.112000, 115.091200)" in summary
    loket.whatsapp("1")
    loket.work()
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.location == [-8.112, 115.0912]
