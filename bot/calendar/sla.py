"""SLA classes of complaint handling and the deadlines and reminders they produce.

The agencies' service standards follow PermenPANRB 62/2018 (SP4N-LAPOR!): a
light complaint gets a 3-hour answer, an ordinary (normative) one 5 working
days, a case needing no field check 14, one needing a field check
(berkadar pengawasan) 60. Hours are office hours, days are working days, both
on the agency's :class:`~bot.calendar.workdays.WorkingCalendar`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.calendar.workdays import WorkingCalendar

#: Reminders go out when half and when four fifths of the allowed office time is used.
DEFAULT_REMINDER_FRACTIONS: tuple[float, ...] = (0.5, 0.8)


@dataclass(frozen=True)
class SlaClass:
    """One tier of response time: either ``hours`` of office time or ``working_days``, never both."""

    id: str
    hours: int | None = None
    working_days: int | None = None

    def __post_init__(self) -> None:
        if (self.hours is None) == (self.working_days is None):
            raise ValueError(f"SLA class {self.id!r}: set exactly one of hours and working_days")
        amount = self.hours if self.hours is not None else self.working_days
        if amount is None or amount < 0:
            raise ValueError(f"SLA class {self.id!r}: the amount must be >= 0")


DEFAULT_CLASSES: dict[str, SlaClass] = {
    sla.id: sla
    for sla in (
        SlaClass("ringan", hours=3),
        SlaClass("normatif", working_days=5),
        SlaClass("tidak_berkadar_pengawasan", working_days=14),
        SlaClass("berkadar_pengawasan", working_days=60),
    )
}


def deadline(cal: WorkingCalendar, sla: SlaClass, start: datetime) -> datetime:
    """When a complaint of class ``sla`` received at ``start`` must be answered, in the agency's timezone."""
    if sla.hours is not None:
        return cal.add_office_hours(start, sla.hours)
    assert sla.working_days is not None  # guaranteed by SlaClass.__post_init__
    return cal.add_working_days(start, sla.working_days)


def reminder_points(
    cal: WorkingCalendar,
    start: datetime,
    deadline: datetime,
    fractions: Iterable[float] = DEFAULT_REMINDER_FRACTIONS,
) -> list[datetime]:
    """Instants at which the given fractions of the office time until ``deadline`` have elapsed, in order.

    Counting office time (not wall time) puts every reminder inside office
    hours, when staff can act on it.
    """
    return sorted(cal.point_at_fraction(start, deadline, f) for f in fractions)
