"""SLA watch: remind officers at 50% and 80% of a ticket's office time; at the deadline, escalate and apologise.

:func:`scan` is an RQ job queued every minute by :mod:`workers.schedule`. For
each open ticket it places the reminder points on the agency's working-day
calendar (:func:`bot.calendar.sla.reminder_points`: office time only, so no reminder
fires at 03:00 or on a holiday) and, once each:

* ``r50`` / ``r80``: tells the assignee, or the unit (its group or officers)
  while nobody has taken the ticket: number, category, SLA class, deadline and
  the office time left;
* ``breach``: escalates to the unit's supervisors and admins, naming who has it;
* ``late_notice``: tells the citizen, in their chat, with the pack's
  ``late_notice`` wording (the approved ``ticket_update`` WhatsApp template
  outside the 24-hour window).

Exactly once
------------
Each (ticket, kind) is claimed in ``sla_reminders`` (:func:`claim_reminder`) in
its own committed transaction *before* anything is sent, so two schedulers, two
workers, a retried job or a restarted process never send the same reminder
twice. A send that fails transiently gives the claim back: the next minute's
scan tries again, and the per-recipient message keys skip whoever already got
it. A worker killed between claim and send loses that one reminder (at most
once rather than at least once: a duplicate apology to a citizen is worse).

Simplifications, on purpose
---------------------------
* Each kind fires once, the first time the scan finds it due. A ticket first
  seen past several points (scheduler down, deadline shortened by a
  reclassification) gets only the latest officer message: earlier ``r50`` /
  ``r80`` are claimed without sending, since "half the time is used" is
  misleading once the deadline has passed. The citizen's late notice does not
  depend on them.
* A claim is never taken back because the deadline moved later: a reminder
  that went out stays sent.
* Tickets waiting for the citizen (``waiting_citizen``) are skipped; the
  officer flow pauses their clock by moving the deadline.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.calendar.workdays import WorkingCalendar
from bot.content import Pack
from bot.calendar.dates import format_local
from bot.exceptions import SendFailed
from bot.store.models import utcnow
from bot.calendar.sla import reminder_points
from bot.store.officer_desk import get_officer_snapshot, list_unit_officers
from bot.store.reminders import (citizen_contact, due_ticket_ids, get_ticket_reminders, record_reminder,
                                 release_reminder, schedule_next_reminder, take_reminder)
from bot.snapshots import TicketSnapshot
from bot.store.tickets import CLOCK_RUNNING
from bot.types import Reply
from workers import relay
from workers.officer_send import Target, officer_target, send_to_targets, targets_in_unit
from workers.runtime import Runtime, runtime

log = logging.getLogger("loket.sla")

FRACTIONS = (0.5, 0.8)
OFFICER_KINDS = ("r50", "r80", "breach")  # in the order they fall due
PERCENT = {"r50": 50, "r80": 80}
SUPERVISOR_ROLES = ("supervisor", "admin")
WATCHED = CLOCK_RUNNING
BATCH = 500  # tickets read per query, so a backlog after downtime is worked through in pieces
RETRY_AFTER = timedelta(minutes=1)  # a reminder whose send failed is tried again by the next scan


def scan(now: datetime | None = None) -> int:
    """Send every reminder that is due at ``now`` (default: the clock) and not yet sent; return how many went."""
    rt = runtime()
    now = _aware(now) if now is not None else utcnow()
    sent = 0
    while True:
        ticket_ids = due_ticket_ids(rt.sessions, now, BATCH)
        for ticket_id in ticket_ids:
            sent += _watch(rt, ticket_id, now)
        if len(ticket_ids) < BATCH:
            return sent


def _watch(rt: Runtime, ticket_id: int, now: datetime) -> int:
    found = get_ticket_reminders(rt.sessions, ticket_id)
    if found is None or found[0].status not in WATCHED:
        return 0
    ticket, claimed = found
    cal = rt.calendar_for(ticket.agency_id)  # the ticket's own agency's working days and closures
    p50, p80 = reminder_points(cal, ticket.opened_at, ticket.deadline_at, FRACTIONS)
    points = {"r50": p50, "r80": p80, "breach": ticket.deadline_at, "late_notice": ticket.deadline_at}
    due = {kind: now >= at for kind, at in points.items()}
    officer_due = [k for k in OFFICER_KINDS if due[k] and k not in claimed]
    sent = 0
    for superseded in officer_due[:-1]:
        _claim(rt, ticket_id, superseded, now)  # a later message says more; see the module docstring
    if officer_due:
        sent += _remind_officers(rt, cal, ticket, officer_due[-1], now)
    if due["breach"] and "late_notice" not in claimed:
        sent += _late_notice(rt, cal, ticket, now)
    # Look again at the earliest point still unclaimed: a future one, or the next minute after a failed send.
    schedule_next_reminder(rt.sessions, ticket_id, points, now + RETRY_AFTER)
    return sent


# ------------------------------------------------------------------ claims

def _claim(rt: Runtime, ticket_id: int, kind: str, now: datetime) -> bool:
    """Claim in a transaction of its own, committed before any send."""
    return take_reminder(rt.sessions, ticket_id, kind, now)


def _release(rt: Runtime, ticket_id: int, kind: str) -> None:
    """Give a claim back after a failed send, so the next scan retries it."""
    release_reminder(rt.sessions, ticket_id, kind)


def _record(rt: Runtime, ticket_id: int, action: str, kind: str, now: datetime, **data) -> None:
    record_reminder(rt.sessions, ticket_id, action, kind, now, **data)


# ---------------------------------------------------------------- officers

def _remind_officers(rt: Runtime, cal: WorkingCalendar, ticket: TicketSnapshot, kind: str, now: datetime) -> int:
    ticket_id = ticket.id
    if not _claim(rt, ticket_id, kind, now):
        return 0  # another scan has it
    try:
        reply, targets = _officer_message(rt, cal, ticket, kind, now)
        if not targets:
            log.warning("no officer to tell about an SLA %s", kind, extra={"unit": ticket.unit})
        count = send_to_targets(rt, targets, reply, f"sla:{ticket_id}:{kind}")
    except SendFailed as exc:
        _release(rt, ticket_id, kind)
        log.warning("SLA %s not sent, will retry: %s", kind, exc)
        return 0
    except BaseException:
        _release(rt, ticket_id, kind)
        raise
    _record(rt, ticket_id, "escalated" if kind == "breach" else "reminded", kind, now, recipients=count)
    return 1


def _officer_message(rt: Runtime, cal: WorkingCalendar, ticket: TicketSnapshot, kind: str,
                     now: datetime) -> tuple[Reply, list[Target]]:
    pack, lang = rt.pack_for(ticket.agency_id), "id"
    assignee = get_officer_snapshot(rt.sessions, ticket.assignee_id) if ticket.assignee_id else None
    values = dict(number=ticket.number, category=category_name(pack, ticket, lang),
                  sla=sla_name(pack, ticket.sla_class, lang),
                  deadline=format_local(ticket.deadline_at, cal.timezone, lang))
    if kind == "breach":
        status = {"waiting_citizen": "waiting"}.get(ticket.status, ticket.status)
        text = pack.text("sla_breach", lang, assignee=assignee.name if assignee else pack.text("sla_unassigned", lang),
                         status=pack.text(f"status_{status}", lang), **values)
        supervisors = list_unit_officers(rt.sessions, ticket.unit, ticket.agency_id, roles=SUPERVISOR_ROLES)
        return Reply(text), targets_in_unit(rt, supervisors, ticket.unit, ticket.agency_id, include_group=False)
    text = pack.text("sla_reminder", lang, percent=PERCENT[kind], left=time_left(pack, cal, now, ticket.deadline_at, lang),
                     **values)
    target = officer_target(assignee) if assignee is not None and assignee.active else None
    if target is not None:
        return Reply(text), [target]
    officers = list_unit_officers(rt.sessions, ticket.unit, ticket.agency_id)
    return Reply(text), targets_in_unit(rt, officers, ticket.unit, ticket.agency_id)


def category_name(pack: Pack, ticket: TicketSnapshot, lang: str = "id") -> str:
    """What the ticket is about, for officers: its complaint category, its service, or its kind."""
    category = pack.agency.category(ticket.category) if ticket.category else None
    if category is not None:
        return category.name.get(lang)
    service = pack.service(ticket.service_id) if ticket.service_id else None
    if service is not None:
        return service.name_en if lang == "en" and service.name_en else service.name
    return pack.text(f"kind_{ticket.kind}", lang)


def sla_name(pack: Pack, class_id: str, lang: str = "id") -> str:
    spec = pack.agency.sla_class(class_id)
    return spec.name.get(lang) if spec is not None else class_id


def time_left(pack: Pack, cal: WorkingCalendar, now: datetime, deadline: datetime, lang: str = "id") -> str:
    """Office time until the deadline: "3 hari kerja lagi (22 jam 0 menit waktu kerja)"."""
    minutes_left = int(max(cal.office_seconds_between(now, deadline), 0.0) // 60)
    hours, minutes = divmod(minutes_left, 60)
    days = cal.working_days_between(now, deadline)
    if days >= 1:
        return pack.text("sla_left_days", lang, days=days, hours=hours, minutes=minutes)
    return pack.text("sla_left_hours", lang, hours=hours, minutes=minutes)


# ----------------------------------------------------------------- citizen

def _late_notice(rt: Runtime, cal: WorkingCalendar, ticket: TicketSnapshot, now: datetime) -> int:
    ticket_id = ticket.id
    if not _claim(rt, ticket_id, "late_notice", now):
        return 0
    try:
        contact = citizen_contact(rt.sessions, ticket.id)
        if contact is None:
            log.info("late notice skipped: the citizen's contact is gone")
            return 0  # the claim stays: there is nobody to tell
        convo_id, lang = contact
        number = ticket.number
        text = rt.pack_for(ticket.agency_id).text("late_notice", lang, number=number,
                                                  deadline=format_local(ticket.deadline_at, cal.timezone, lang))
        delivered = relay.to_citizen(rt, convo_id, number, text, f"sla:{ticket_id}:late") != "failed"
    except SendFailed as exc:
        _release(rt, ticket_id, "late_notice")
        log.warning("late notice not sent, will retry: %s", exc)
        return 0
    except BaseException:
        _release(rt, ticket_id, "late_notice")
        raise
    _record(rt, ticket_id, "late_notice", "late_notice", now, delivered=delivered)
    return 1


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return moment
