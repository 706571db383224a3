"""The daily digest: each working morning, every unit learns what is new, due today and late.

:func:`digest_if_due` is queued every minute by :mod:`workers.schedule`; on a
working day of the agency's calendar, at or after the pack's ``digest_time``
(local time), it sends each unit's digest once: to the unit's Telegram group
or officers and supervisors (:func:`workers.officer_send.targets_in_unit`), and
a 30-day chart to the supervisors on Telegram.

Once per unit per local day, however many schedulers run: a Redis
``SET NX`` on ``loket:digest:{queue prefix}{unit}:{date}`` picks one sender, and the
``digests`` row recorded (and committed) before sending keeps a restarted
process, or one whose Redis was emptied, from sending again. A transient
send failure takes both back, so the next minute retries; the per-recipient
message keys skip whoever already got it.

The text shows ticket numbers, SLA classes and officers' names only: a
unit's group may hold many people, so never the reporter's name, number or
the complaint itself.
"""
from __future__ import annotations

import logging
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import sessionmaker

from bot.calendar.workdays import WorkingCalendar
from bot.content import Pack
from bot.calendar.dates import format_local
from bot.exceptions import SendFailed
from bot.store.models import DEFAULT_AGENCY, utcnow
from bot.settings import Settings
from bot.store.officer_desk import list_unit_officers
from bot.store.reminders import add_digest, digest_period_start, forget_digest, list_digest_tickets, start_digest
from bot.snapshots import TicketSnapshot
from bot.types import Reply
from workers import runtime as runtime_module
from workers.digest_chart import render_chart
from workers.officer_send import send_to_targets, targets_in_unit
from workers.runtime import Runtime, build, runtime, set_runtime
from workers.sla_watch import sla_name

log = logging.getLogger("loket.digest")

SUPERVISOR_ROLES = ("supervisor", "admin")
#: Ticket numbers listed per line before "+N lainnya": keeps a bad day's digest readable.
MAX_NUMBERS = 15
REDIS_TTL = 3 * 24 * 3600
LANG = "id"  # officers read Bahasa Indonesia


@dataclass(frozen=True)
class DigestText:
    """One unit's digest: the text to send, and the ticket numbers in each section."""

    unit: str
    text: str
    new: tuple[str, ...]
    due_today: tuple[str, ...]
    overdue: tuple[str, ...]

    def __str__(self) -> str:
        return self.text


# ------------------------------------------------------------------- text

def build_digest(sessions: sessionmaker, pack: Pack, cal: WorkingCalendar, unit: str, now: datetime,
                 since: datetime, agency_id: str = DEFAULT_AGENCY) -> DigestText:
    """The digest of ``unit`` at ``now``: tickets opened since ``since``, due today, and late.

    * new: opened in [since, now), whatever their status;
    * due today: open, deadline on ``now``'s local date and not yet passed;
    * late: open (not closed) with the deadline before ``now``.
    Each section is grouped by SLA class (in the pack's order), then by
    assignee (by name, "belum diambil" last).
    """
    today = cal.local(now).date()
    tickets = list_digest_tickets(sessions, unit, since, now, agency_id)
    new = [t for t in tickets if t.opened_at >= since]
    still_open = [t for t in tickets if t.status != "closed"]
    due_today = [t for t in still_open if t.deadline_at >= now and cal.local(t.deadline_at).date() == today]
    overdue = [t for t in still_open if t.deadline_at < now]
    names = {t.assignee_id: t.assignee_name for t in tickets if t.assignee_id and t.assignee_name}
    spec = pack.agency.unit(unit)
    lines = [pack.text("digest_title", LANG, unit=spec.name if spec else unit,
                       date=format_local(now, cal.timezone, LANG))]
    for key, group in (("digest_new", new), ("digest_due_today", due_today), ("digest_overdue", overdue)):
        lines.append("")
        lines.extend(_section(pack, key, group, names))
    return DigestText(unit, "\n".join(lines), tuple(t.number for t in new), tuple(t.number for t in due_today),
                      tuple(t.number for t in overdue))


def _section(pack: Pack, key: str, tickets: list[TicketSnapshot], names: dict[int, str]) -> list[str]:
    lines = [pack.text("digest_section", LANG, title=pack.text(key, LANG), count=len(tickets))]
    if not tickets:
        return lines + [pack.text("digest_none", LANG)]
    order = {c.id: i for i, c in enumerate(pack.agency.sla_classes)}
    by_class: dict[str, list[TicketSnapshot]] = defaultdict(list)
    for t in tickets:
        by_class[t.sla_class].append(t)
    unassigned = pack.text("sla_unassigned", LANG)
    for class_id in sorted(by_class, key=lambda c: (order.get(c, len(order)), c)):
        group = by_class[class_id]
        lines.append(pack.text("digest_class_line", LANG, sla=sla_name(pack, class_id, LANG), count=len(group)))
        by_person: dict[str, list[str]] = defaultdict(list)
        for t in group:
            by_person[names.get(t.assignee_id, unassigned) if t.assignee_id else unassigned].append(t.number)
        for person in sorted(by_person, key=lambda p: (p == unassigned, p.casefold())):
            lines.append(pack.text("digest_person_line", LANG, assignee=person,
                                   numbers=_numbers(pack, by_person[person])))
    return lines


def _numbers(pack: Pack, numbers: list[str]) -> str:
    shown = ", ".join(numbers[:MAX_NUMBERS])
    if len(numbers) > MAX_NUMBERS:
        shown += " " + pack.text("digest_more", LANG, count=len(numbers) - MAX_NUMBERS)
    return shown


def default_since(cal: WorkingCalendar, pack: Pack, now: datetime) -> datetime:
    """Where the first digest starts: the previous working day's digest time."""
    d = cal.local(now).date() - timedelta(days=1)
    for _ in range(60):
        if cal.is_working_day(d):
            break
        d -= timedelta(days=1)
    return datetime.combine(d, pack.agency.digest_time, tzinfo=cal.tz)


def _since(sessions: sessionmaker, cal: WorkingCalendar, pack: Pack, unit: str, now: datetime,
           agency_id: str = DEFAULT_AGENCY) -> datetime:
    return digest_period_start(sessions, unit, agency_id) or default_since(cal, pack, now)


# ------------------------------------------------------------------ sending

def digest_if_due(now: datetime | None = None) -> int:
    """Send today's digest to each unit of each agency that has not had one, if it is time there (each
    agency's own calendar and digest time); return how many units got it."""
    rt = runtime()
    now = now if now is not None else utcnow()
    sent = 0
    for agency_id, pack in rt.agencies.items():
        cal = rt.calendar_for(agency_id)
        local = cal.local(now)
        if not cal.is_working_day(local.date()) or local.time() < pack.agency.digest_time:
            continue
        for unit in pack.agency.units:
            claim = _claim_day(rt, cal, pack, unit.id, local.date(), now, agency_id)
            if claim is not None:
                sent += _deliver(rt, cal, pack, unit.id, now, *claim,
                                 key=f"digest:{_scoped(rt, agency_id, unit.id)}:{local.date().isoformat()}",
                                 redis_key=_redis_key(rt, unit.id, local.date(), agency_id), agency_id=agency_id)
    return sent


def _scoped(rt: Runtime, agency_id: str, unit: str) -> str:
    """A unit's name in keys: the default agency's keeps today's (unit ids repeat across agencies)."""
    return unit if agency_id == rt.default_agency else f"{agency_id}/{unit}"


def _redis_key(rt: Runtime, unit: str, day: date, agency_id: str | None = None) -> str:
    scoped = _scoped(rt, agency_id or rt.default_agency, unit)
    return f"loket:digest:{rt.settings.queue_prefix}{scoped}:{day.isoformat()}"


def _claim_day(rt: Runtime, cal: WorkingCalendar, pack: Pack, unit: str, day: date,
               now: datetime, agency_id: str) -> tuple[int, datetime] | None:
    """(digest id, since) when this process is the one to send ``unit``'s digest for ``day``; else None."""
    redis_key = _redis_key(rt, unit, day, agency_id)
    if not rt.redis.set(redis_key, 1, nx=True, ex=REDIS_TTL):
        return None
    try:
        # None when sent before a restart (or by `loket digest --now`).
        return start_digest(rt.sessions, unit, now, default_since(cal, pack, now),
                            lambda sent_at: cal.local(sent_at).date() == day, agency_id)
    except BaseException:
        rt.redis.delete(redis_key)  # the database is unwell: let the next minute try again
        raise


def _deliver(rt: Runtime, cal: WorkingCalendar, pack: Pack, unit: str, now: datetime, digest_id: int,
             since: datetime, key: str, redis_key: str | None = None, agency_id: str | None = None) -> int:
    """Send the recorded digest; a transient failure takes the record (and the Redis claim) back."""
    agency_id = agency_id or rt.default_agency
    try:
        digest = build_digest(rt.sessions, pack, cal, unit, now, since, agency_id)
        officers = list_unit_officers(rt.sessions, unit, agency_id)
        targets = targets_in_unit(rt, officers, unit, agency_id)
        # Only Telegram takes the PNG; a supervisor on WhatsApp reads the text digest.
        supervisors = [o for o in officers if o.role in SUPERVISOR_ROLES]
        chart_targets = [t for t in targets_in_unit(rt, supervisors, unit, agency_id, include_group=False)
                         if t.channel == "telegram"]
        spec = pack.agency.unit(unit)
        chart = render_chart(rt.sessions, unit, now, cal.timezone, unit_name=spec.name if spec else unit,
                             cal=cal, agency_id=agency_id) if chart_targets else None
        count = send_to_targets(rt, targets, Reply(digest.text), key)
        if chart is not None:
            caption = pack.text("digest_chart_caption", LANG, unit=spec.name if spec else unit)
            send_to_targets(rt, chart_targets, Reply(caption), f"{key}:chart", image_png=chart)
    except BaseException as exc:
        forget_digest(rt.sessions, digest_id)
        if redis_key:
            rt.redis.delete(redis_key)
        if isinstance(exc, SendFailed):
            log.warning("digest not sent, will retry: %s", exc, extra={"unit": unit})
            return 0
        raise
    log.info("digest sent to %d place(s)", count, extra={"unit": unit})
    return 1


# --------------------------------------------------------------- command

def digest_command(settings: Settings, send: bool = False, now: datetime | None = None,
                   out=None) -> int:
    """``loket digest [--now]``: print each unit's digest; with ``send`` also send (and record) it now."""
    out = out or sys.stdout
    previous = runtime_module._runtime
    rt = build(settings)
    set_runtime(rt)
    failed = False
    try:
        now = now if now is not None else utcnow()
        first = True
        for agency_id, pack in rt.agencies.items():
            cal = rt.calendar_for(agency_id)
            for unit in pack.agency.units:
                since = _since(rt.sessions, cal, pack, unit.id, now, agency_id)
                text = build_digest(rt.sessions, pack, cal, unit.id, now, since, agency_id).text
                if not first:
                    print(file=out)
                first = False
                print(text, file=out)
                if send:
                    digest_id = add_digest(rt.sessions, unit.id, since, now, agency_id)
                    # Keyed by the new record: each `--now` sends, a retried send within it does not repeat.
                    if not _deliver(rt, cal, pack, unit.id, now, digest_id, since,
                                    key=f"digest:{_scoped(rt, agency_id, unit.id)}:now:{digest_id}", agency_id=agency_id):
                        failed = True
                        print(f"digest for {agency_id}/{unit.id}: not sent, see the log", file=sys.stderr)
    finally:
        set_runtime(previous)
        _close(rt)
    return 1 if failed else 0


def _close(rt: Runtime) -> None:
    for sender in rt.senders.values():
        http = getattr(getattr(sender, "client", None), "http_client", None)
        if http is not None and hasattr(http, "close"):
            http.close()
    rt.sessions.kw["bind"].dispose()
    rt.redis.close()
