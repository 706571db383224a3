"""The agency's calendar and SLA classes, built from its content pack."""
from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from bot.calendar.workdays import WorkingCalendar
from bot.content import Pack
from bot.calendar.sla import SlaClass, deadline

WEEKDAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def calendar_for(pack: Pack, timezone: str = "") -> WorkingCalendar:
    """The working-day calendar in ``timezone`` (AGENCY_TIMEZONE) or the pack's own."""
    agency = pack.agency
    hours = {WEEKDAY_INDEX[d]: span for d, span in agency.office_hours.items()}
    closures = {c.date: c.name for c in agency.closures}
    return _cached(timezone or agency.timezone, tuple(sorted(hours.items())), tuple(sorted(closures.items())))


@lru_cache(maxsize=16)
def _cached(tz: str, hours: tuple, closures: tuple) -> WorkingCalendar:
    return WorkingCalendar(tz, office_hours=dict(hours), closures=dict(closures))


def sla_class(pack: Pack, class_id: str) -> SlaClass:
    spec = pack.agency.sla_class(class_id)
    if spec is None:
        raise KeyError(f"unknown SLA class {class_id!r}")
    return SlaClass(spec.id, hours=spec.hours, working_days=spec.working_days)


def deadline_for(pack: Pack, cal: WorkingCalendar, class_id: str | None, start: datetime, *,
                 working_days: int | None = None, hours: int | None = None) -> datetime:
    """The deadline of a ticket opened at ``start``: its class's, or a service's own limit."""
    if working_days or hours:
        return deadline(cal, SlaClass("service", hours=hours, working_days=working_days), start)
    return deadline(cal, sla_class(pack, class_id or pack.agency.sla_classes[0].id), start)
