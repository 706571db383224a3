"""/ikm and /laporan in chat: supervisors get the figures; officers and citizens are refused."""
from __future__ import annotations

import pytest

from bot.db import session_scope
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
    assert "loket report --month 2026-11 --format pdf" in answer


def test_an_unknown_period_is_explained(loket):
    assert 'Periode "kemarin" tidak dikenal' in ask(loket, "/ikm kemarin", SARI)


@pytest.mark.parametrize("command", ["/ikm 2026-11", "/laporan 2026-11"])
def test_an_officer_is_refused(loket, command):
    answer = ask(loket, command, BUDI)
    assert answer == "Perintah ini hanya untuk supervisor unit."


@pytest.mark.parametrize("command", ["/ikm 2026-11", "/laporan 2026-11"])
def test_a_citizen_learns_nothing(loket, command):
    answer = ask(loket, command, STRANGER)
    assert "84,49" not in answer and "IKM" not in answer and "Pengaduan diterima" not in answer
    loket.whatsapp(command)
    loket.work()
    assert "84,49" not in loket.last_whatsapp() and "Pengaduan diterima" not in loket.last_whatsapp()
