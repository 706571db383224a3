"""The daily digest: its exact text, once per unit per working day, the supervisors' chart, and ``loket digest``."""
from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.calendar.agency import deadline_for
from cli.main import main
from bot.store.db import session_scope
from bot.store.models import Digest
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation
from bot.store.officers import add_officer
from bot.store.tickets import assign, create_ticket
from tests.store.factories import race
from workers.digest import build_digest, digest_command, digest_if_due
from workers.digest_chart import daily_counts, render_chart

WITA = ZoneInfo("Asia/Makassar")
MADE, KETUT, KEPALA = 5001, 5002, 5003
TUESDAY = datetime(2026, 12, 1, 7, 30, tzinfo=WITA)
SINCE = datetime(2026, 11, 30, 7, 30, tzinfo=WITA)
PNG = b"\x89PNG\r\n\x1a\n"
REPORTER, PHONE = "Wayan Sudarma", "+6281234567890"

EXPECTED = """\
📋 *Ringkasan harian Bagian Kesejahteraan Rakyat*
Selasa, 1 Desember 2026 pukul 07.30 WITA

*Baru sejak ringkasan terakhir: 4*
Pengaduan ringan (2)
  • Ketut Arya: ADU-2611-0003
  • Made Sari: ADU-2611-0005
Pengaduan bersifat normatif (1)
  • Ketut Arya: ADU-2611-0006
Pengaduan tidak berkadar pengawasan (1)
  • belum diambil: ADU-2611-0004

*Jatuh tempo hari ini: 2*
Pengaduan ringan (1)
  • Made Sari: ADU-2611-0005
Pengaduan bersifat normatif (1)
  • belum diambil: ADU-2611-0002

*Terlambat: 2*
Pengaduan ringan (1)
  • Ketut Arya: ADU-2611-0003
Pengaduan bersifat normatif (1)
  • Made Sari: ADU-2611-0001"""


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WITA)


def seed(loket) -> None:
    """Officers of kesra on Telegram, and tickets in several states, classes and hands (numbers 0001..0008)."""
    rt = loket.runtime
    with session_scope(loket.sessions) as s:
        made = add_officer(s, name="Made Sari", role="officer", units=["kesra"], telegram_user_id=MADE)
        ketut = add_officer(s, name="Ketut Arya", role="officer", units=["kesra"], telegram_user_id=KETUT)
        add_officer(s, name="Ibu Kepala", role="supervisor", units=["kesra"], telegram_user_id=KEPALA)
        citizen = get_or_create_citizen(s, "whatsapp", PHONE, "Wayan")
        convo = get_or_create_conversation(s, citizen, "whatsapp", PHONE)
        rows = [  # opened, class, assignee, status, closed, unit
            (at(23, 9), "normatif", made, "in_progress", None, "kesra"),        # 0001 late since Mon 30 15:30
            (at(24, 10), "normatif", None, "new", None, "kesra"),               # 0002 due Tue 1 Dec 15:30
            (at(30, 10), "ringan", ketut, "in_progress", None, "kesra"),        # 0003 new, late since 13:00
            (at(30, 14), "tidak_berkadar_pengawasan", None, "new", None, "kesra"),  # 0004 new
            (at(30, 16), "ringan", made, "new", None, "kesra"),                 # 0005 new (after hours), due 10:30
            (at(30, 11), "normatif", ketut, "closed", at(30, 15), "kesra"),     # 0006 new, already answered
            (at(20, 9), "normatif", made, "closed", at(27, 10), "kesra"),       # 0007 old and closed
            (at(23, 9), "normatif", None, "new", None, "other"),                # 0008 another unit's
        ]
        for i, (opened, sla, officer, status, closed, unit) in enumerate(rows):
            ticket, _ = create_ticket(s, conversation=convo, citizen=citizen, draft_key=f"d{i}", kind="complaint",
                                      prefix="ADU", unit=unit, sla_class=sla, opened_at=opened,
                                      deadline_at=deadline_for(rt.pack, rt.calendar, sla, opened),
                                      reporter_name=REPORTER, description="Antrian panjang", category="pelayanan")
            if officer is not None:
                assign(s, ticket, officer)
            ticket.status, ticket.closed_at = status, closed


def photos_to(loket, chat: int) -> list[bytes]:
    return [c.params["photo"].content for c in loket.fake_telegram.calls("sendPhoto", chat, ok=True)]


def test_digest_text(loket):
    seed(loket)
    rt = loket.runtime
    digest = build_digest(loket.sessions, rt.pack, rt.calendar, "kesra", TUESDAY, SINCE)
    assert digest.text == EXPECTED
    assert digest.new == ("ADU-2611-0003", "ADU-2611-0004", "ADU-2611-0005", "ADU-2611-0006")
    assert digest.due_today == ("ADU-2611-0002", "ADU-2611-0005")
    assert digest.overdue == ("ADU-2611-0001", "ADU-2611-0003")
    assert REPORTER not in digest.text and "Wayan" not in digest.text and "6281" not in digest.text


def test_empty_digest_and_long_lists(loket):
    rt = loket.runtime
    empty = build_digest(loket.sessions, rt.pack, rt.calendar, "kesra", TUESDAY, SINCE).text
    assert empty.endswith("*Baru sejak ringkasan terakhir: 0*\nTidak ada.\n\n*Jatuh tempo hari ini: 0*\nTidak ada."
                          "\n\n*Terlambat: 0*\nTidak ada.")
    with session_scope(loket.sessions) as s:
        citizen = get_or_create_citizen(s, "telegram", "42", None)
        convo = get_or_create_conversation(s, citizen, "telegram", "42")
        for i in range(18):
            create_ticket(s, conversation=convo, citizen=citizen, draft_key=f"k{i}", kind="complaint", prefix="ADU",
                          unit="kesra", sla_class="normatif", opened_at=at(30, 9), deadline_at=at(30, 15))
    text = build_digest(loket.sessions, rt.pack, rt.calendar, "kesra", TUESDAY, SINCE).text
    assert "  • belum diambil: ADU-2611-0001, ADU-2611-0002," in text
    assert "ADU-2611-0015 (+3 lainnya)" in text and "ADU-2611-0016" not in text


def test_digest_goes_once_per_unit_per_working_day(loket, restart):
    seed(loket)
    assert digest_if_due(now=datetime(2026, 11, 29, 8, 0, tzinfo=WITA)) == 0  # Sunday
    assert digest_if_due(now=datetime(2026, 12, 25, 8, 0, tzinfo=WITA)) == 0  # Hari Raya Natal
    assert digest_if_due(now=datetime(2026, 12, 24, 9, 0, tzinfo=WITA)) == 0  # cuti bersama
    assert digest_if_due(now=TUESDAY - timedelta(minutes=1)) == 0  # before digest_time
    assert loket.fake_telegram.calls() == []

    assert digest_if_due(now=TUESDAY) == 1
    for chat in (MADE, KETUT, KEPALA):
        (text,) = loket.fake_telegram.texts_to(chat)
        assert text.startswith("📋 <b>Ringkasan harian Bagian Kesejahteraan Rakyat</b>\nSelasa, 1 Desember 2026")
        assert "<b>Terlambat: 2</b>\nPengaduan ringan (1)\n  • Ketut Arya: ADU-2611-0003" in text
    assert photos_to(loket, MADE) == [] and photos_to(loket, KETUT) == []
    (chart,) = photos_to(loket, KEPALA)
    assert chart.startswith(PNG) and len(chart) > 20_000
    (photo_call,) = loket.fake_telegram.calls("sendPhoto", KEPALA)
    assert photo_call.params["caption"] == "Grafik tiket 30 hari terakhir: Bagian Kesejahteraan Rakyat"

    for later in (TUESDAY, TUESDAY + timedelta(hours=6)):
        assert digest_if_due(now=later) == 0
    # A restart with Redis emptied: the database still knows today's digest went.
    loket.redis.flushdb()
    restart()
    assert digest_if_due(now=TUESDAY + timedelta(hours=1)) == 0
    assert len(loket.fake_telegram.calls("sendMessage")) == 3

    # Wednesday: several schedulers at once, one digest; "new" starts where Tuesday's ended.
    wednesday = TUESDAY + timedelta(days=1)
    assert sum(race(lambda i: digest_if_due(now=wednesday), n=5)) == 1
    assert len(loket.fake_telegram.texts_to(MADE)) == 2 and len(photos_to(loket, KEPALA)) == 2
    assert "<b>Baru sejak ringkasan terakhir: 0</b>" in loket.fake_telegram.texts_to(MADE)[-1]
    with loket.sessions() as s:
        digests = s.scalars(select(Digest).order_by(Digest.id)).all()
        assert [(d.unit, d.period_start, d.period_end) for d in digests] == [
            ("kesra", SINCE, TUESDAY), ("kesra", TUESDAY, wednesday)]


def test_a_failed_digest_is_sent_by_the_next_minute(loket, monkeypatch):
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0, 0, 0))
    seed(loket)
    loket.fake_telegram.fail_next("sendMessage", error_code=502, times=4)
    assert digest_if_due(now=TUESDAY) == 0
    with loket.sessions() as s:
        assert s.scalars(select(Digest)).all() == []
    assert digest_if_due(now=TUESDAY + timedelta(minutes=1)) == 1
    for chat in (MADE, KETUT, KEPALA):
        assert len(loket.fake_telegram.texts_to(chat)) == 1


def test_loket_digest_command(loket, monkeypatch, capsys):
    seed(loket)
    for name, value in loket.settings.to_env().items():
        monkeypatch.setenv(name, value)
    assert main(["digest"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("📋 *Ringkasan harian Bagian Kesejahteraan Rakyat*\n")
    assert "*Terlambat: " in printed and REPORTER not in printed
    assert loket.fake_telegram.calls() == []
    with loket.sessions() as s:
        assert s.scalars(select(Digest)).all() == []

    assert main(["digest", "--now"]) == 0
    assert "Ringkasan harian" in capsys.readouterr().out
    for chat in (MADE, KETUT, KEPALA):
        assert len(loket.fake_telegram.texts_to(chat)) == 1
    assert len(photos_to(loket, KEPALA)) == 1
    with loket.sessions() as s:
        assert len(s.scalars(select(Digest)).all()) == 1
    # Asked again, it sends again: the command is for "now", not for the daily slot.
    assert main(["digest", "--now"]) == 0
    assert len(loket.fake_telegram.texts_to(MADE)) == 2


def test_digest_command_with_a_fixed_clock_counts_as_the_day(loket):
    seed(loket)
    out = io.StringIO()
    assert digest_command(loket.settings, send=True, now=TUESDAY, out=out) == 0
    assert out.getvalue() == EXPECTED + "\n"
    assert digest_if_due(now=TUESDAY + timedelta(hours=1)) == 0  # today's digest went already
    assert len(loket.fake_telegram.texts_to(MADE)) == 1


def test_chart_counts_and_png(loket):
    seed(loket)
    days, counts = daily_counts(loket.sessions, "kesra", TUESDAY, "Asia/Makassar")
    png = render_chart(loket.sessions, "kesra", TUESDAY, "Asia/Makassar", unit_name="Bagian Kesejahteraan Rakyat",
                       cal=loket.runtime.calendar)
    assert len(days) == 30 and days[-1] == TUESDAY.date() and days[0] == datetime(2026, 11, 2).date()
    by_day = {d.isoformat(): (o, c, late) for d, o, c, late in
              zip(days, counts["opened"], counts["closed"], counts["overdue"])}
    assert by_day["2026-11-30"] == (4, 1, 2)  # 0003 late since 13:00, 0001 since 15:30
    assert by_day["2026-11-23"] == (1, 0, 0)
    assert by_day["2026-11-27"] == (0, 1, 0)
    assert by_day["2026-12-01"] == (0, 0, 2)
    assert sum(counts["opened"]) == 7
    assert png.startswith(PNG)


@pytest.mark.parametrize(("hour", "sent"), [(6, 0), (23, 1)])
def test_late_in_the_day_still_counts(loket, hour, sent):
    """A scheduler that was down all morning still sends the day's digest when it comes back."""
    seed(loket)
    assert digest_if_due(now=datetime(2026, 12, 1, hour, 0, tzinfo=WITA)) == sent
