"""/ikm and /laporan in chat: supervisors get the figures and the PDF; officers and citizens are refused."""
from __future__ import annotations

import subprocess
from urllib.parse import urlsplit

import pytest

from bot.store.db import session_scope
from bot.store.officers import add_officer
from tests.reports.conftest import seed

SARI, BUDI, STRANGER = 9102, 9101, 9199  # supervisor, officer, a citizen on Telegram


@pytest.fixture
def loket(loket):
    seed(loket.sessions)
    with session_scope(loket.sessions) as s:
        add_officer(s, name="Budi Petugas", role="officer", units=["kesra"], telegram_user_id=BUDI)
        add_officer(s, name="Sari Supervisor", role="supervisor", units=["kesra"], telegram_user_id=SARI)
    return loket


def ask(loket, text: str, user: int) -> str:
    loket.telegram(text, chat_id=user, user_id=user)
    loket.work()
    return "\n".join(loket.telegram_texts(user))


def test_a_supervisor_asks_for_novembers_ikm(loket):
    answer = ask(loket, "/ikm 2026-11", SARI)
    assert "IKM November 2026: 84,49 — mutu B (Baik)" in answer
    assert "Responden: 4 dari minimal 7 (7 transaksi selesai)" in answer
    assert "Belum mencapai jumlah minimal" in answer
    assert "U3 Waktu penyelesaian: 2,75 (C)" in answer and "U8 Penanganan pengaduan, saran dan masukan: 2,67 (C)" in answer


def test_a_supervisor_asks_for_the_semester_in_words(loket):
    assert "IKM Semester II 2026: 70,97 — mutu C (Kurang Baik)" in ask(loket, "/ikm semester 2 2026", SARI)


def test_a_supervisor_asks_for_novembers_report(loket):
    answer = ask(loket, "/laporan 2026-11", SARI)
    assert "Laporan November 2026\nPengaduan diterima: 6\nSelesai dalam batas waktu: 2, terlambat: 2" in answer
    assert "Terbuka pada akhir periode: 4 (melewati batas waktu: 2)" in answer
    assert "Median tanggapan pertama: 7,00 jam; median selesai: 132,00 jam" in answer
    assert "IKM: 84,49 (B, Baik)" in answer


def test_a_supervisor_receives_the_pdf_in_telegram(loket, tmp_path):
    ask(loket, "/laporan 2026-11", SARI)
    [sent] = loket.fake_telegram.calls("sendDocument", SARI, ok=True)
    upload = sent.params["document"]
    assert upload.filename == "buleleng-kesra-2026-11.pdf" and upload.content.startswith(b"%PDF")
    assert "Laporan lengkap (PDF): buleleng-kesra-2026-11.pdf" in sent.params["caption"]
    assert "loket report --month 2026-11 --format xlsx,csv" in sent.params["caption"]
    pdf = tmp_path / "got.pdf"
    pdf.write_bytes(upload.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "November 2026" in text and "84,49" in text


def test_a_supervisor_on_whatsapp_gets_a_signed_link_that_expires(loket):
    with session_scope(loket.sessions) as s:
        add_officer(s, name="Wati Supervisor", role="supervisor", units=["kesra"], whatsapp="+6281299990000")
    loket.whatsapp("/laporan 2026-11", from_="whatsapp:+6281299990000")
    loket.work()
    sent = loket.fake_twilio.messages_to("whatsapp:+6281299990000")[-1]
    [url] = sent["MediaUrl"]
    assert "Laporan lengkap (PDF)" in sent["Body"]
    link = urlsplit(url)
    assert link.path == "/media/report/buleleng-kesra-2026-11.pdf" and "sig=" in link.query
    fetched = loket.client.get(f"{link.path}?{link.query}")  # what Twilio does with MediaUrl
    assert fetched.status_code == 200 and fetched.data.startswith(b"%PDF")
    assert fetched.mimetype == "application/pdf"
    assert loket.client.get(link.path).status_code == 403
    assert loket.client.get(f"{link.path}?{link.query.replace('sig=', 'sig=0')}").status_code == 403


def test_an_unknown_period_is_explained(loket):
    assert 'Periode "kemarin" tidak dikenal' in ask(loket, "/ikm kemarin", SARI)


@pytest.mark.parametrize("command", ["/ikm 2026-11", "/laporan 2026-11"])
def test_an_officer_is_refused(loket, command):
    answer = ask(loket, command, BUDI)
    assert answer == "Perintah ini hanya untuk supervisor unit."
    assert not loket.fake_telegram.calls("sendDocument", BUDI)


@pytest.mark.parametrize("command", ["/ikm 2026-11", "/laporan 2026-11"])
def test_a_citizen_learns_nothing(loket, command):
    answer = ask(loket, command, STRANGER)
    assert "84,49" not in answer and "IKM" not in answer and "Pengaduan diterima" not in answer
    assert not loket.fake_telegram.calls("sendDocument")
    loket.whatsapp(command)
    loket.work()
    assert "84,49" not in loket.last_whatsapp() and "Pengaduan diterima" not in loket.last_whatsapp()
