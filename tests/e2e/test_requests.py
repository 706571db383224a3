"""Citizens make online requests: a consultation booking (guest book) on WhatsApp, a facilitation
request with its letter on Telegram, a refused file and a cancelled request."""
import hashlib
import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.store.models import Evidence, InboundEvent, Ticket
from tests.fakes.telegram_api import make_document_update
from tests.media_samples import EXE, PDF, jpeg


@pytest.fixture
def database_url(both_databases):
    """Every test here runs on SQLite and on PostgreSQL."""
    return both_databases


WA_NUMBER = re.compile(r"\*((?:KON|PMH)-\d{4}-\d{4})\*")
TG_NUMBER = re.compile(r"<b>((?:KON|PMH)-\d{4}-\d{4})</b>")
NATAL, CUTI_BERSAMA_NATAL = date(2026, 12, 25), date(2026, 12, 24)


def bad_day(reason: str) -> str:
    return f"Tanggal itu tidak bisa dipakai: {reason}. Pilih hari kerja lain."


def dmy(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def closed_day(cal, today: date, fixed: date, cuti_bersama: bool) -> date:
    """``fixed`` while it is still bookable-ahead (1..90 days away), else the next such holiday of the kind."""
    if today < fixed <= today + timedelta(days=90):
        return fixed
    for n in range(1, 91):
        day = today + timedelta(days=n)
        name = cal.holiday_name(day)
        if day.weekday() < 5 and name and ("Cuti Bersama" in name) == cuti_bersama:
            return day
    pytest.skip("no such holiday in the next 90 days")


def test_whatsapp_consultation_booking_refuses_closed_days_and_becomes_a_ticket(loket):
    cal = loket.runtime.calendar
    # The flow's "today" is the agency's local date of each message, i.e. the real clock now.
    today = datetime.now(cal.tz).date()
    yesterday = today - timedelta(days=1)
    sunday = today + timedelta(days=(6 - today.weekday()) or 7)
    natal = closed_day(cal, today, NATAL, cuti_bersama=False)
    cuti = closed_day(cal, today, CUTI_BERSAMA_NATAL, cuti_bersama=True)
    good = cal.next_working_day(today)
    photo = jpeg()
    url = loket.fake_twilio.add_media(photo, "image/jpeg")

    for text in ("halo", "3", "1"):
        loket.whatsapp(text)
    loket.work()
    assert loket.last_whatsapp().startswith("Sebelum melanjutkan")
    for text in ("1", "Ni Kadek Sri Wahyuni", "Yayasan Pendidikan Dharma Santi", "Konsultasi bantuan hibah pura"):
        loket.whatsapp(text)
    loket.work()
    assert loket.last_whatsapp() == "Kirim foto atau PDF *surat tugas* Anda:"
    loket.whatsapp("", media=[(url, "image/jpeg")])
    loket.work()
    assert loket.last_whatsapp().startswith("Hari apa Anda ingin datang?")

    for day, reason in ((yesterday, "tanggal itu sudah lewat atau hari ini"),
                        (sunday, "kantor tutup pada hari itu"),
                        (natal, f"hari libur ({cal.holiday_name(natal)})"),
                        (cuti, f"hari libur ({cal.holiday_name(cuti)})")):
        loket.whatsapp(dmy(day))
        loket.work()
        bodies = loket.whatsapp_bodies()
        assert bodies[-2] == bad_day(reason), day
        assert bodies[-1].startswith("Hari apa Anda ingin datang?")  # the draft is kept: asked again
    assert "Cuti Bersama" in cal.holiday_name(cuti)

    loket.whatsapp(dmy(good))
    loket.work()
    summary = loket.last_whatsapp()
    assert summary.startswith("*Ringkasan permohonan Pelayanan Konsultasi:*")
    for line in ("Nama lengkap Anda: Ni Kadek Sri Wahyuni",
                 "Nama instansi / lembaga / organisasi Anda: Yayasan Pendidikan Dharma Santi",
                 "Keperluan / materi konsultasi: Konsultasi bantuan hibah pura", "Surat tugas: ✓"):
        assert line in summary
    assert f"{good.day} " in summary.split("Hari apa Anda ingin datang: ")[1]

    loket.whatsapp("1")
    loket.work()
    confirmation = loket.last_whatsapp()
    assert confirmation.startswith("Terima kasih. Permohonan Anda tercatat dengan nomor *KON-")
    number = WA_NUMBER.search(confirmation).group(1)

    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.number == number and ticket.kind == "consultation" and ticket.service_id == "konsultasi"
        assert ticket.identity_mode == "named" and ticket.reporter_name == "Ni Kadek Sri Wahyuni"
        assert ticket.details == {"name": "Ni Kadek Sri Wahyuni", "institution": "Yayasan Pendidikan Dharma Santi",
                                  "purpose": "Konsultasi bantuan hibah pura", "day": good.isoformat()}
        (ev,) = s.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id)).all()
        assert ev.mime == "image/jpeg" and ev.sha256 == hashlib.sha256(photo).hexdigest()

    loket.whatsapp(f"status {number}")
    loket.work()
    status = loket.last_whatsapp()
    assert f"Tiket *{number}* (konsultasi)" in status and "Status: diterima" in status


def test_whatsapp_booking_from_the_service_menu(loket):
    for text in ("halo", "1", "1", "8"):
        loket.whatsapp(text)
    loket.work()
    bodies = loket.whatsapp_bodies()
    assert "8. Ajukan permohonan layanan ini" in bodies[-2]
    assert bodies[-1].startswith("Sebelum melanjutkan")
    loket.whatsapp("1")
    loket.work()
    assert loket.last_whatsapp() == "Nama lengkap Anda:"


def _facilitation_until_the_letter(say):
    for text in ("halo", "3", "2", "1", "I Gede Wirawan", "Banjar Adat Paketan",
                 "Pembinaan kerukunan umat, Balai Banjar Paketan, 80 peserta"):
        say(text)


def test_telegram_facilitation_request_with_a_pdf_has_a_three_working_day_deadline(loket):
    chat = 9100
    say = lambda text: loket.telegram(text, chat_id=chat)  # noqa: E731
    _facilitation_until_the_letter(say)
    loket.work()
    assert loket.telegram_texts(chat)[-1] == "Kirim foto atau PDF <b>surat permohonan</b> pembinaan masyarakat:"
    file_id = loket.fake_telegram.add_file(PDF, "surat-permohonan.pdf", "application/pdf")
    loket.telegram_update(make_document_update(file_id, "surat-permohonan.pdf", "application/pdf", len(PDF),
                                               chat_id=chat))
    loket.work()
    summary = loket.telegram_texts(chat)[-1]
    assert "Ringkasan permohonan Fasilitasi Pembinaan Masyarakat" in summary and "Surat permohonan: ✓" in summary
    say("1")
    loket.work()
    confirmation = loket.telegram_texts(chat)[-1]
    number = TG_NUMBER.search(confirmation).group(1)
    assert number.startswith("PMH-")

    cal = loket.runtime.calendar
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        assert ticket.number == number and ticket.kind == "request"
        assert ticket.service_id == "pembinaan-masyarakat" and ticket.details["institution"] == "Banjar Adat Paketan"
        confirm = s.scalars(select(InboundEvent).order_by(InboundEvent.id.desc())).first()
        received_at = datetime.fromisoformat(confirm.message["received_at"])
        assert ticket.opened_at == received_at
        assert ticket.deadline_at == cal.add_working_days(received_at, 3)
        (ev,) = s.scalars(select(Evidence).where(Evidence.ticket_id == ticket.id)).all()
        assert ev.mime == "application/pdf" and ev.sha256 == hashlib.sha256(PDF).hexdigest()
        assert ev.file_name == "surat-permohonan.pdf"
    say(f"status {number}")
    loket.work()
    assert f"Tiket <b>{number}</b> (permohonan)" in loket.telegram_texts(chat)[-1]


def test_an_exe_named_pdf_is_refused_and_the_request_draft_survives(loket):
    chat = 9101
    say = lambda text: loket.telegram(text, chat_id=chat)  # noqa: E731
    _facilitation_until_the_letter(say)
    exe = loket.fake_telegram.add_file(EXE, "surat.pdf", "application/pdf")
    loket.telegram_update(make_document_update(exe, "surat.pdf", "application/pdf", len(EXE), chat_id=chat))
    loket.work()
    texts = loket.telegram_texts(chat)
    assert texts[-2].startswith("Berkas tidak diterima: isi berkas tidak sesuai jenisnya.")
    assert texts[-1] == "Kirim foto atau PDF <b>surat permohonan</b> pembinaan masyarakat:"
    with loket.sessions() as s:
        assert s.scalars(select(Evidence)).all() == []  # nothing of it was stored
    good = loket.fake_telegram.add_file(PDF, "surat.pdf", "application/pdf")
    loket.telegram_update(make_document_update(good, "surat.pdf", "application/pdf", len(PDF), chat_id=chat))
    loket.work()
    summary = loket.telegram_texts(chat)[-1]
    assert "Nama lengkap pemohon: I Gede Wirawan" in summary
    assert "Nama lembaga / kelompok masyarakat: Banjar Adat Paketan" in summary
    assert "Surat permohonan: ✓" in summary


def test_batal_in_the_middle_of_a_request_discards_it(loket):
    for text in ("halo", "3", "1", "1", "Made Arsana", "Dinas Kebudayaan"):
        loket.whatsapp(text)
    loket.whatsapp("batal")
    loket.work()
    bodies = loket.whatsapp_bodies()
    assert bodies[-2] == "Baik, isian dibatalkan dan tidak disimpan."
    assert bodies[-1].startswith("Silakan pilih:")
    loket.whatsapp("3")
    loket.work()
    assert loket.last_whatsapp().startswith("Permohonan apa yang ingin Anda ajukan?")  # nothing resumed
    with loket.sessions() as s:
        assert s.scalars(select(Ticket)).all() == []
