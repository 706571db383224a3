"""Days citizens choose: parse "25-11-2026", refuse holidays and closed days, show office hours.

Pure: the agency's calendar comes in through ``ctx.calendar``.
"""
from __future__ import annotations

import re
from datetime import date

from bot.calendar.dates import DAYS, MONTHS
from flows.types import Context

DATE = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$|^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def office_hours_text(ctx: Context, language: str) -> str:
    """``Sen–Kam 07:30–15:30, Jum 07:30–13:00`` from the agency's office hours."""
    names = DAY_NAMES[language]
    groups: list[tuple[list[str], tuple]] = []
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        hours = ctx.pack.agency.office_hours.get(day)
        if hours is None:
            continue
        if groups and groups[-1][1] == hours:
            groups[-1][0].append(day)
        else:
            groups.append(([day], hours))
    parts = []
    for days, (start, end) in groups:
        label = names[days[0]] if len(days) == 1 else f"{names[days[0]]}–{names[days[-1]]}"
        parts.append(f"{label} {start:%H:%M}–{end:%H:%M}")
    return ", ".join(parts)


DAY_NAMES = {
    "id": {"mon": "Sen", "tue": "Sel", "wed": "Rab", "thu": "Kam", "fri": "Jum", "sat": "Sab", "sun": "Min"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"},
}


def day_text(iso: str, language: str) -> str:
    """``Senin, 30 November 2026`` for ``2026-11-30``."""
    d = date.fromisoformat(iso)
    language = language if language in DAYS else "id"
    return f"{DAYS[language][d.weekday()]}, {d.day} {MONTHS[language][d.month - 1]} {d.year}"


def parse_day(text: str) -> date | None:
    m = DATE.match(text or "")
    if not m:
        return None
    try:
        if m.group(1):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
    except ValueError:
        return None


def check_day(day: date, ctx: Context) -> tuple[str, str] | None:
    """Why ``day`` cannot be booked, as (wording key, holiday name), or None."""
    today = ctx.now.astimezone(ctx.calendar.tz).date() if ctx.calendar is not None else ctx.now.date()
    if day <= today:
        return ("day_past", "")
    if (day - today).days > 90:
        return ("day_too_far", "")
    if ctx.calendar is not None and not ctx.calendar.is_working_day(day):
        name = ctx.calendar.holiday_name(day)
        return ("day_holiday", name) if name else ("day_closed", "")
    return None
