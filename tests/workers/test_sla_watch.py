"""SLA watch: reminders at 50% / 80% of office time, escalation and the citizen's late notice, each exactly once."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.calendar.agency import deadline_for
from bot.store.db import session_scope
from bot.store.models import Message, SlaReminder, Ticket, TicketEvent, utcnow
from bot.calendar.sla import reminder_points
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation, touch_inbound
from bot.store.officers import add_officer
from bot.store.tickets import assign, create_ticket, events_for, set_status
from tests.store.factories import race
from tests.system import CITIZEN
from bot.queues import Queues, queue
from workers.sla_watch import scan

WITA = ZoneInfo("Asia/Makassar")
OPENED = datetime(2026, 11, 23, 9, 0, tzinfo=WITA)  # Monday
DEADLINE = datetime(2026, 11, 30, 15, 30, tzinfo=WITA)  # close of the 5th working day after
P50 = datetime(2026, 11, 25, 15, 0, tzinfo=WITA)  # 22 of 44 office hours
P80 = datetime(2026, 11, 27, 12, 12, tzinfo=WITA)  # 35 h 12 min of 44 (Friday closes at 13:00)
PHONE = CITIZEN.removeprefix("whatsapp:")
ASSIGNEE, COLLEAGUE, SUPERVISOR = 5001, 5002, 5003
MINUTE = timedelta(minutes=1)
TEMPLATE_SID = "HX00000000000000000000000000000001"


def seed(loket, *, assigned: bool = True, opened: datetime = OPENED, sla_class: str = "normatif",
         last_inbound: datetime | None = None) -> tuple[int, str]:
    """Three officers of unit kesra on Telegram, and a citizen's WhatsApp complaint filed at ``opened``."""
    rt = loket.runtime
    deadline = deadline_for(rt.pack, rt.calendar, sla_class, opened)
    with session_scope(loket.sessions) as s:
        made = add_officer(s, name="Made Sari", role="officer", units=["kesra"], telegram_user_id=ASSIGNEE)
        add_officer(s, name="Ketut Arya", role="officer", units=["kesra"], telegram_user_id=COLLEAGUE)
        add_officer(s, name="Ibu Kepala", role="supervisor", units=["kesra"], telegram_user_id=SUPERVISOR)
        citizen = get_or_create_citizen(s, "whatsapp", PHONE, "Wayan")
        convo = get_or_create_conversation(s, citizen, "whatsapp", PHONE)
        touch_inbound(s, convo, last_inbound or utcnow())
        ticket, _ = create_ticket(s, conversation=convo, citizen=citizen, draft_key="d1", kind="complaint",
                                  prefix="ADU", unit="kesra", sla_class=sla_class, deadline_at=deadline,
                                  opened_at=opened, category="pelayanan", reporter_name="Wayan Sudarma",
                                  description="Antrian panjang")
        if assigned:
            assign(s, ticket, made)
        return ticket.id, ticket.number


def tg(loket, chat: int) -> list[str]:
    return loket.fake_telegram.texts_to(chat)


def test_deadline_and_reminder_points_follow_the_working_day_rule(loket):
    cal = loket.runtime.calendar
    # Received Monday 09:00 (day 0); five working days later is Monday 30 Nov, closing 15:30.
    assert deadline_for(loket.runtime.pack, cal, "normatif", OPENED) == DEADLINE
    assert cal.office_seconds_between(OPENED, DEADLINE) == 44 * 3600  # 6.5 + 8 + 8 + 8 + 5.5 + 8 hours
    assert reminder_points(cal, OPENED, DEADLINE, (0.5, 0.8)) == [P50, P80]


def test_each_reminder_goes_once_to_the_right_people(loket, restart):
    ticket_id, number = seed(loket)
    assert number == "ADU-2611-0001"

    assert scan(now=P50 - MINUTE) == 0
    assert loket.fake_telegram.calls("sendMessage") == []

    assert scan(now=P50 + MINUTE) == 1
    (first,) = tg(loket, ASSIGNEE)
    assert first == ("⏰ Pengingat SLA: tiket <b>ADU-2611-0001</b> sudah memakai 50% waktu penanganan.\n"
                     "Tentang: Pelayanan tidak sesuai standar\n"
                     "Kelas: Pengaduan bersifat normatif\n"
                     "Batas waktu: Senin, 30 November 2026 pukul 15.30 WITA\n"
                     "Sisa waktu: 3 hari kerja lagi (21 jam 59 menit waktu kerja)")
    assert tg(loket, COLLEAGUE) == [] and tg(loket, SUPERVISOR) == []
    assert "Wayan" not in first

    assert scan(now=P50 + MINUTE) == 0  # the same minute again
    assert scan(now=P80 - MINUTE) == 0
    assert len(tg(loket, ASSIGNEE)) == 1

    # The 80% reminder, through the scheduler's queue and a real RQ worker.
    queue(loket.redis, Queues.SCHEDULED, loket.settings.queue_prefix).enqueue(
        "workers.sla_watch.scan", kwargs={"now": P80})
    loket.work()
    second = tg(loket, ASSIGNEE)[-1]
    assert len(tg(loket, ASSIGNEE)) == 2
    assert "sudah memakai 80% waktu penanganan" in second
    assert "Sisa waktu: 1 hari kerja lagi (8 jam 48 menit waktu kerja)" in second

    assert scan(now=DEADLINE - MINUTE) == 0
    assert loket.whatsapp_bodies() == []

    assert scan(now=DEADLINE) == 2
    (escalation,) = tg(loket, SUPERVISOR)
    assert escalation == ("🚨 Tiket <b>ADU-2611-0001</b> melewati batas waktu Senin, 30 November 2026 pukul 15.30 WITA.\n"
                          "Tentang: Pelayanan tidak sesuai standar\n"
                          "Kelas: Pengaduan bersifat normatif\n"
                          "Status: diterima\n"
                          "Ditangani oleh: Made Sari\n"
                          "Mohon segera ditindaklanjuti.")
    assert loket.whatsapp_bodies() == [
        "Mohon maaf, penanganan tiket ADU-2611-0001 memerlukan waktu lebih lama dari batas "
        "Senin, 30 November 2026 pukul 15.30 WITA. Petugas kami sedang menanganinya."]
    assert len(tg(loket, ASSIGNEE)) == 2 and tg(loket, COLLEAGUE) == []

    # A restart: a new process's runtime finds the claims in the database.
    restart()
    for later in (DEADLINE, DEADLINE + timedelta(days=3)):
        assert scan(now=later) == 0
    assert len(loket.fake_telegram.calls("sendMessage")) == 3
    assert len(loket.fake_twilio.sent) == 1

    with loket.sessions() as s:
        ticket = s.get(Ticket, ticket_id)
        trail = [(e.action, e.data.get("kind"), e.at) for e in events_for(ticket, s)
                 if e.action in ("reminded", "escalated", "late_notice")]
        assert trail == [("reminded", "r50", P50 + MINUTE), ("reminded", "r80", P80),
                         ("escalated", "breach", DEADLINE), ("late_notice", "late_notice", DEADLINE)]
        assert sorted(s.scalars(select(SlaReminder.kind))) == ["breach", "late_notice", "r50", "r80"]


def test_concurrent_scans_send_each_reminder_once(loket):
    seed(loket)
    assert sum(race(lambda i: scan(now=P50), n=6)) == 1
    assert len(tg(loket, ASSIGNEE)) == 1
    # Past the deadline at once: r80 is superseded by the escalation, the late notice goes once.
    assert sum(race(lambda i: scan(now=DEADLINE + timedelta(hours=1)), n=6)) == 2
    assert len(tg(loket, ASSIGNEE)) == 1
    assert len(tg(loket, SUPERVISOR)) == 1
    assert len(loket.whatsapp_bodies()) == 1
    with loket.sessions() as s:
        assert sorted(s.scalars(select(SlaReminder.kind))) == ["breach", "late_notice", "r50", "r80"]
        assert sorted(s.scalars(select(Message.key).where(Message.key.like("sla:%")))) == [
            "sla:1:breach:telegram:3", "sla:1:late", "sla:1:r50:telegram:1"]


def test_unassigned_ticket_reminds_the_whole_unit(loket):
    seed(loket, assigned=False)
    assert scan(now=P50) == 1
    for chat in (ASSIGNEE, COLLEAGUE, SUPERVISOR):
        assert len(tg(loket, chat)) == 1 and "memakai 50%" in tg(loket, chat)[0]
    scan(now=DEADLINE)
    assert "Ditangani oleh: belum diambil" in tg(loket, SUPERVISOR)[-1]
    assert len(tg(loket, ASSIGNEE)) == 1 and len(tg(loket, COLLEAGUE)) == 1  # escalation: supervisors only


@pytest.mark.parametrize("status", ["waiting_citizen", "closed"])
def test_paused_and_closed_tickets_are_left_alone(loket, status):
    ticket_id, _ = seed(loket)
    with session_scope(loket.sessions) as s:
        set_status(s, s.get(Ticket, ticket_id), status)
    assert scan(now=DEADLINE + timedelta(days=1)) == 0
    assert loket.fake_telegram.calls("sendMessage") == [] and loket.fake_twilio.sent == []


def test_light_complaint_points_are_in_office_hours(loket):
    # Filed Friday 12:00: 1 h left that day, the rest on Monday morning.
    seed(loket, opened=datetime(2026, 11, 27, 12, 0, tzinfo=WITA), sla_class="ringan")
    assert scan(now=datetime(2026, 11, 27, 12, 59, tzinfo=WITA)) == 0
    assert scan(now=datetime(2026, 11, 30, 8, 0, tzinfo=WITA)) == 1  # 1.5 h of office time: Mon 08:00
    assert "Sisa waktu: 1 jam 30 menit waktu kerja" in tg(loket, ASSIGNEE)[0]
    assert scan(now=datetime(2026, 11, 30, 8, 54, tzinfo=WITA)) == 1  # 2.4 h: Mon 08:54
    assert scan(now=datetime(2026, 11, 30, 9, 30, tzinfo=WITA)) == 2  # deadline: Mon 09:30


def test_late_notice_outside_the_whatsapp_window_uses_the_template(loket):
    seed(loket)
    rule = loket.fake_twilio.fail_when(lambda f: 63016 if "ContentSid" not in f else None)
    assert scan(now=DEADLINE) == 2
    (sent,) = loket.fake_twilio.messages_to(CITIZEN)
    assert sent["ContentSid"] == TEMPLATE_SID and "Body" not in sent
    assert json.loads(sent["ContentVariables"]) == {
        "1": "ADU-2611-0001",
        "2": "Mohon maaf, penanganan tiket ADU-2611-0001 memerlukan waktu lebih lama dari batas "
             "Senin, 30 November 2026 pukul 15.30 WITA. Petugas kami sedang menanganinya."}
    loket.fake_twilio.remove_rule(rule)
    assert scan(now=DEADLINE + timedelta(days=1)) == 0
    assert len(loket.fake_twilio.sent) == 1


def test_a_citizen_silent_for_days_gets_the_template_straight_away(loket):
    seed(loket, last_inbound=utcnow() - timedelta(days=3))
    assert scan(now=DEADLINE) == 2
    assert [a.get("ContentSid") for a in loket.fake_twilio.attempts] == [TEMPLATE_SID]


def test_a_failed_send_is_retried_by_the_next_scan(loket, monkeypatch):
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0, 0, 0))
    seed(loket)
    loket.fake_telegram.fail_next("sendMessage", error_code=502, times=4)
    assert scan(now=P50) == 0  # Telegram is down: the claim is given back
    assert tg(loket, ASSIGNEE) == []
    with loket.sessions() as s:
        assert s.scalars(select(SlaReminder)).all() == []
    assert scan(now=P50 + MINUTE) == 1
    assert len(tg(loket, ASSIGNEE)) == 1
    assert scan(now=P50 + 2 * MINUTE) == 0


def test_complaint_filed_in_the_chat_is_watched(loket):
    """A ticket made by a real WhatsApp conversation: at its deadline the citizen hears from us in that chat."""
    with session_scope(loket.sessions) as s:
        add_officer(s, name="Ibu Kepala", role="supervisor", units=["kesra"], telegram_user_id=SUPERVISOR)
    for text in ("halo", "pengaduan", "1", "Petugas meminta uang untuk surat keterangan",
                 "Kantor Bupati Buleleng, lantai 2", "Senin kemarin pukul 10.00", "4", "lewati", "3", "1"):
        loket.whatsapp(text)
    loket.work()
    number = re.search(r"\*(ADU-\d{4}-\d{4})\*", loket.last_whatsapp()).group(1)
    with loket.sessions() as s:
        ticket = s.scalars(select(Ticket)).one()
        deadline, sla = ticket.deadline_at, ticket.sla_class
    before = len(loket.whatsapp_bodies())
    assert sla == "berkadar_pengawasan"
    assert scan(now=deadline - MINUTE) == 1  # the 80% reminder (the 50% one is superseded), to the unit
    assert scan(now=deadline) == 2
    assert len(loket.whatsapp_bodies()) == before + 1
    assert loket.last_whatsapp().startswith(f"Mohon maaf, penanganan tiket {number} memerlukan waktu")
    assert f"Tiket <b>{number}</b> melewati batas waktu" in tg(loket, SUPERVISOR)[-1]
    with loket.sessions() as s:
        actions = [e.action for e in s.scalars(select(TicketEvent).order_by(TicketEvent.id))]
        assert actions == ["created", "reminded", "escalated", "late_notice"]


def test_now_must_be_aware(loket):
    with pytest.raises(ValueError):
        scan(now=datetime(2026, 11, 30, 8, 0))
    assert scan(now=datetime(2026, 11, 30, 8, 0, tzinfo=timezone.utc)) == 0


def _next_check(loket, ticket_id: int):
    with session_scope(loket.sessions) as s:
        return s.get(Ticket, ticket_id).next_check_at


def test_the_watch_reads_a_schedule_not_every_open_ticket(loket):
    """Each ticket waits in the index for its next point: 50 %, then 80 %, then the deadline, then nothing."""
    ticket_id, _ = seed(loket)
    assert _next_check(loket, ticket_id) == OPENED  # new: looked at by the first scan
    assert scan(now=OPENED + MINUTE) == 0
    assert _next_check(loket, ticket_id) == P50
    assert scan(now=P50 + MINUTE) == 1
    assert _next_check(loket, ticket_id) == P80
    assert scan(now=P80 + MINUTE) == 1
    assert _next_check(loket, ticket_id) == DEADLINE
    assert scan(now=DEADLINE + MINUTE) == 2  # escalation and the citizen's late notice
    assert _next_check(loket, ticket_id) is None  # every reminder is out: the scan never reads it again


def test_a_paused_or_closed_clock_leaves_the_schedule_and_a_resumed_one_returns(loket):
    ticket_id, _ = seed(loket)
    scan(now=OPENED + MINUTE)
    with session_scope(loket.sessions) as s:
        set_status(s, s.get(Ticket, ticket_id), "waiting_citizen")
    assert _next_check(loket, ticket_id) is None
    with session_scope(loket.sessions) as s:
        set_status(s, s.get(Ticket, ticket_id), "in_progress")
    resumed = _next_check(loket, ticket_id)
    assert resumed is not None and abs(resumed - utcnow()) < timedelta(minutes=1)
    with session_scope(loket.sessions) as s:
        set_status(s, s.get(Ticket, ticket_id), "closed")
    assert _next_check(loket, ticket_id) is None
    assert scan(now=DEADLINE + MINUTE) == 0


def test_a_failed_send_is_tried_again_by_the_next_minutes_scan(loket):
    ticket_id, _ = seed(loket)
    scan(now=OPENED + MINUTE)
    down = loket.fake_telegram.fail_when(lambda method, params: 502 if method.lower() == "sendmessage" else None)
    assert scan(now=P50 + MINUTE) == 0
    assert _next_check(loket, ticket_id) == P50 + 2 * MINUTE
    loket.fake_telegram.remove_rule(down)
    assert scan(now=P50 + 2 * MINUTE) == 1
    assert len(tg(loket, ASSIGNEE)) == 1
