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

from sqlalchemy import delete, select

from bot.calendar.workdays import WorkingCalendar
from bot.content import Pack
from bot.calendar.dates import format_local
from bot.store.db import session_scope
from bot.exceptions import SendFailed
from bot.store.models import Citizen, Conversation, Officer, SlaReminder, Ticket, utcnow
from bot.calendar.sla import reminder_points
from bot.store.reminders import claim_reminder
from bot.store.tickets import CLOCK_RUNNING, add_event, schedule_check, tickets_to_check
from bot.types import Reply
from workers.officer_send import Target, officer_target, send_to_targets, unit_targets
from workers import relay
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
        with session_scope(rt.sessions) as session:
            ticket_ids = tickets_to_check(session, now, BATCH)
        for ticket_id in ticket_ids:
            sent += _watch(rt, ticket_id, now)
        if len(ticket_ids) < BATCH:
            return sent


def _watch(rt: Runtime, ticket_id: int, now: datetime) -> int:
    with rt.sessions() as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.status not in WATCHED:
            return 0
        cal = rt.calendar_for(ticket.agency_id)  # the ticket's own agency's working days and closures
        claimed = set(session.scalars(select(SlaReminder.kind).where(SlaReminder.ticket_id == ticket_id)))
        p50, p80 = reminder_points(cal, ticket.opened_at, ticket.deadline_at, FRACTIONS)
        points = {"r50": p50, "r80": p80, "breach": ticket.deadline_at, "late_notice": ticket.deadline_at}
    due = {kind: now >= at for kind, at in points.items()}
    officer_due = [k for k in OFFICER_KINDS if due[k] and k not in claimed]
    sent = 0
    for superseded in officer_due[:-1]:
        _claim(rt, ticket_id, superseded, now)  # a later message says more; see the module docstring
    if officer_due:
        sent += _remind_officers(rt, cal, ticket_id, officer_due[-1], now)
    if due["breach"] and "late_notice" not in claimed:
        sent += _late_notice(rt, cal, ticket_id, now)
    _schedule_next(rt, ticket_id, points, now)
    return sent


def _schedule_next(rt: Runtime, ticket_id: int, points: dict[str, datetime], now: datetime) -> None:
    """Look again at the earliest point still unclaimed: a future one, or the next minute after a failed send."""
    with session_scope(rt.sessions) as session:
        claimed = set(session.scalars(select(SlaReminder.kind).where(SlaReminder.ticket_id == ticket_id)))
        left = [at for kind, at in points.items() if kind not in claimed]
        schedule_check(session, ticket_id, max(min(left), now + RETRY_AFTER) if left else None)


# ------------------------------------------------------------------ claims

def _claim(rt: Runtime, ticket_id: int, kind: str, now: datetime) -> bool:
    """Claim in a transaction of its own, committed before any send."""
    with session_scope(rt.sessions) as session:
        return claim_reminder(session, ticket_id, kind, at=now)


def _release(rt: Runtime, ticket_id: int, kind: str) -> None:
    """Give a claim back after a failed send, so the next scan retries it."""
    with session_scope(rt.sessions) as session:
        session.execute(delete(SlaReminder).where(SlaReminder.ticket_id == ticket_id, SlaReminder.kind == kind))


def _record(rt: Runtime, ticket_id: int, action: str, kind: str, now: datetime, **data) -> None:
    with session_scope(rt.sessions) as session:
        ticket = session.get(Ticket, ticket_id)
        add_event(session, ticket, "system", action, data={"kind": kind, **data}, at=now)


# ---------------------------------------------------------------- officers

def _remind_officers(rt: Runtime, cal: WorkingCalendar, ticket_id: int, kind: str, now: datetime) -> int:
    if not _claim(rt, ticket_id, kind, now):
        return 0  # another scan has it
    try:
        with rt.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            reply, targets = _officer_message(rt, session, cal, ticket, kind, now)
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


def _officer_message(rt: Runtime, session, cal: WorkingCalendar, ticket: Ticket, kind: str,
                     now: datetime) -> tuple[Reply, list[Target]]:
    pack, lang = rt.pack_for(ticket.agency_id), "id"
    assignee = session.get(Officer, ticket.assignee_id) if ticket.assignee_id else None
    values = dict(number=ticket.number, category=category_name(pack, ticket, lang),
                  sla=sla_name(pack, ticket.sla_class, lang),
                  deadline=format_local(ticket.deadline_at, cal.timezone, lang))
    if kind == "breach":
        status = {"waiting_citizen": "waiting"}.get(ticket.status, ticket.status)
        text = pack.text("sla_breach", lang, assignee=assignee.name if assignee else pack.text("sla_unassigned", lang),
                         status=pack.text(f"status_{status}", lang), **values)
        return Reply(text), unit_targets(rt, session, ticket.unit, roles=SUPERVISOR_ROLES, include_group=False,
                                         agency_id=ticket.agency_id)
    text = pack.text("sla_reminder", lang, percent=PERCENT[kind], left=time_left(pack, cal, now, ticket.deadline_at, lang),
                     **values)
    target = officer_target(assignee) if assignee is not None and assignee.active else None
    return Reply(text), [target] if target is not None else unit_targets(rt, session, ticket.unit,
                                                                          agency_id=ticket.agency_id)


def category_name(pack: Pack, ticket: Ticket, lang: str = "id") -> str:
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

def _late_notice(rt: Runtime, cal: WorkingCalendar, ticket_id: int, now: datetime) -> int:
    if not _claim(rt, ticket_id, "late_notice", now):
        return 0
    try:
        with rt.sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            convo = session.get(Conversation, ticket.conversation_id)
            citizen = session.get(Citizen, convo.citizen_id) if convo is not None else None
            if convo is None or citizen is None or citizen.erased_at is not None:
                log.info("late notice skipped: the citizen's contact is gone")
                return 0  # the claim stays: there is nobody to tell
            lang = ticket.lang or convo.lang or "id"
            text = rt.pack_for(ticket.agency_id).text("late_notice", lang, number=ticket.number,
                                deadline=format_local(ticket.deadline_at, cal.timezone, lang))
            convo_id, number = convo.id, ticket.number
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
