"""The agency's working-day calendar: when the office is open, and SLA arithmetic on it.

Indonesian complaint-handling deadlines (PermenPANRB 62/2018, SP4N-LAPOR!) are
counted in *working days* of the agency: weekdays on which the office opens and
that are neither national holidays nor *cuti bersama* (the joint leave days set
each year by the SKB 3 Menteri) nor the agency's own closures. Short deadlines
("ringan": 3 hours) are counted in *office hours*.

Everything here is pure computation. The only outside data is the ``holidays``
package, loaded lazily per year: cuti bersama live in its GOVERNMENT category and
only reach a year once the SKB is published and a new ``holidays`` release ships,
so agencies pass the missing days (and local closures) in ``closures``.

Deadline rule used by :meth:`WorkingCalendar.add_working_days`
----------------------------------------------------------------
* All days and clock times are read in the agency's timezone (WIB/WITA/WIT), not
  the server's and not the citizen's.
* The day of receipt is day 0. A complaint received on a working day before
  that day's closing time counts as received that day (even before opening).
* A complaint received at or after closing time, or on a non-working day,
  counts as received at the opening of the next working day, which is day 0.
* The deadline is the closing time of the n-th working day after day 0
  (n = 0 means closing time of day 0 itself).

Clock arithmetic is done on local wall-clock times. Indonesian zones have no
daylight saving, so wall-clock and elapsed time agree.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

#: Typical Indonesian government office hours (five-day week): Mon–Thu 08:00–16:00,
#: Fri 08:00–16:30. Agencies pass their own.
DEFAULT_OFFICE_HOURS: dict[int, tuple[time, time]] = {
    0: (time(8, 0), time(16, 0)),
    1: (time(8, 0), time(16, 0)),
    2: (time(8, 0), time(16, 0)),
    3: (time(8, 0), time(16, 0)),
    4: (time(8, 0), time(16, 30)),
}

#: Name reported by :meth:`WorkingCalendar.holiday_name` for a closure given without a name.
DEFAULT_CLOSURE_NAME = "Kantor tutup"

#: How far the calendar searches for a working day before concluding the
#: configuration has none (closures listing years of days would be a content error).
_MAX_SEARCH_DAYS = 3 * 366

_ONE_DAY = timedelta(days=1)


class WorkingCalendar:
    """An agency's open days and hours in its own timezone.

    ``closures`` takes dates, or a mapping date -> name, for cuti bersama the
    ``holidays`` package does not know yet and for local closures (anniversary of
    the regency, office move, ...). ``include_cuti_bersama=False`` drops the
    package's GOVERNMENT category, for offices that stay open on joint leave days.
    """

    def __init__(
        self,
        timezone: str,
        office_hours: Mapping[int, tuple[time, time]] | None = None,
        closures: Iterable[date] | Mapping[date, str] = (),
        include_cuti_bersama: bool = True,
    ) -> None:
        self.timezone = timezone
        self.tz = ZoneInfo(timezone)
        self.office_hours = _validated_hours(DEFAULT_OFFICE_HOURS if office_hours is None else office_hours)
        self.closures = _closure_names(closures)
        self.include_cuti_bersama = include_cuti_bersama
        self._holiday_cache: dict[int, holidays.HolidayBase] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar({self.timezone!r}, closures={len(self.closures)}, cuti_bersama={self.include_cuti_bersama})"

    # ----------------------------------------------------------------- days

    def _holidays_for(self, year: int) -> holidays.HolidayBase:
        """Load one year of official holidays once; most lookups hit one or two years."""
        cached = self._holiday_cache.get(year)
        if cached is None:
            categories = (holidays.PUBLIC, holidays.GOVERNMENT) if self.include_cuti_bersama else (holidays.PUBLIC,)
            cached = holidays.ID(years=year, categories=categories, language="id")
            self._holiday_cache[year] = cached
        return cached

    def holiday_name(self, d: date) -> str | None:
        """Why ``d`` is closed despite being a weekday with hours (holiday, cuti bersama, closure), else None.

        Weekends are not reported: they are closed by office hours, not by a holiday.
        """
        d = _as_date(d)
        names = []
        official = self._holidays_for(d.year).get(d)
        if official:
            names.append(official)
        if d in self.closures:
            names.append(self.closures[d])
        return "; ".join(names) if names else None

    def is_working_day(self, d: date) -> bool:
        """A weekday with office hours that is not a holiday, cuti bersama or closure."""
        d = _as_date(d)
        if d.weekday() not in self.office_hours:
            return False
        return d not in self.closures and d not in self._holidays_for(d.year)

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return next(self._working_days_from(_as_date(d) + _ONE_DAY))

    def _working_days_from(self, d: date) -> Iterator[date]:
        """Working days on or after ``d``, in order; fails loudly if the calendar has none."""
        gap = 0
        while True:
            if self.is_working_day(d):
                gap = 0
                yield d
            else:
                gap += 1
                if gap > _MAX_SEARCH_DAYS:
                    raise ValueError(f"no working day within {_MAX_SEARCH_DAYS} days of {d}: check closures")
            d += _ONE_DAY

    # --------------------------------------------------------------- clocks

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the agency's timezone; naive datetimes are refused since their zone is a guess."""
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("datetime must be timezone-aware")
        return moment.astimezone(self.tz)

    def opening(self, d: date) -> datetime:
        """Opening instant of working day ``d`` in the agency's timezone."""
        return datetime.combine(d, self.office_hours[d.weekday()][0], tzinfo=self.tz)

    def closing(self, d: date) -> datetime:
        """Closing instant of working day ``d`` in the agency's timezone."""
        return datetime.combine(d, self.office_hours[d.weekday()][1], tzinfo=self.tz)

    def is_open(self, moment: datetime) -> bool:
        """Whether ``moment`` lies within office hours (both ends included) of a working day."""
        local = self.local(moment)
        d = local.date()
        return self.is_working_day(d) and self.opening(d) <= local <= self.closing(d)

    def receipt_day(self, received: datetime) -> date:
        """Day 0 of a working-day deadline: the local day, or the next working day after hours/closed days."""
        local = self.local(received)
        d = local.date()
        if self.is_working_day(d) and local < self.closing(d):
            return d
        return self.next_working_day(d)

    # ----------------------------------------------------------- deadlines

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """Deadline ``n`` working days after ``start``: closing time of the n-th working day after day 0.

        See the module docstring for the rule; this is how "5 hari kerja" is read
        by complaint units: the day of receipt does not count, the last day counts
        in full.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        days = self._working_days_from(self.receipt_day(start))
        for _ in range(n):
            next(days)
        return self.closing(next(days))

    def add_office_hours(self, start: datetime, hours: float) -> datetime:
        """The instant at which ``hours`` of office time have passed since ``start``.

        Time outside office hours, on weekends, holidays and closures does not
        count; a clock started after hours starts at the next opening.
        """
        if hours < 0:
            raise ValueError("hours must be >= 0")
        return self._add_office_seconds(start, hours * 3600.0)

    def _add_office_seconds(self, start: datetime, seconds: float) -> datetime:
        """Walk the office windows from ``start`` until ``seconds`` of open time are used up."""
        remaining = timedelta(seconds=seconds)
        cursor = self.local(start)
        for d in self._working_days_from(cursor.date()):
            segment_start = max(cursor, self.opening(d))
            available = self.closing(d) - segment_start
            if available < timedelta(0):
                continue
            if remaining <= available:
                return segment_start + remaining
            remaining -= available
        raise AssertionError("unreachable: _working_days_from never ends")

    # ------------------------------------------------------------ measures

    def working_days_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days after ``a``'s local day up to and including ``b``'s (negative if b is earlier).

        Matches :meth:`add_working_days`: for a receipt on a working day during
        office hours, ``working_days_between(r, add_working_days(r, n)) == n``.
        """
        start, end = self._local_date(a), self._local_date(b)
        if end < start:
            return -self.working_days_between(b, a)
        count = 0
        d = start + _ONE_DAY
        while d <= end:
            count += self.is_working_day(d)
            d += _ONE_DAY
        return count

    def office_seconds_between(self, a: datetime, b: datetime) -> float:
        """Seconds of office time between two instants (negative if b is earlier): the SLA clock."""
        start, end = self.local(a), self.local(b)
        if end < start:
            return -self.office_seconds_between(b, a)
        total = timedelta(0)
        d = start.date()
        while d <= end.date():
            if self.is_working_day(d):
                overlap = min(end, self.closing(d)) - max(start, self.opening(d))
                total += max(overlap, timedelta(0))
            d += _ONE_DAY
        return total.total_seconds()

    def point_at_fraction(self, start: datetime, deadline: datetime, fraction: float) -> datetime:
        """The instant at which ``fraction`` of the office time from ``start`` to ``deadline`` has elapsed.

        Used for "50% / 80% of the time used" reminders: counting only office
        time keeps a reminder from firing at 03:00 or on a holiday. The result
        is never after ``deadline``.
        """
        if not 0.0 <= fraction <= 1.0:
            raise ValueError("fraction must be within [0, 1]")
        if fraction == 0.0:
            return self.local(start)
        total = self.office_seconds_between(start, deadline)
        point = self._add_office_seconds(start, max(total, 0.0) * fraction)
        return min(point, self.local(deadline))

    def _local_date(self, value: date | datetime) -> date:
        """A date as given, or an instant's date in the agency's timezone."""
        return self.local(value).date() if isinstance(value, datetime) else value


def _as_date(value: date) -> date:
    """Accept datetimes where a date is wanted without silently comparing datetime to date."""
    return value.date() if isinstance(value, datetime) else value


def _validated_hours(hours: Mapping[int, tuple[time, time]]) -> dict[int, tuple[time, time]]:
    """Reject hours that would make the day arithmetic meaningless (closing before opening, no open day)."""
    checked: dict[int, tuple[time, time]] = {}
    for weekday, (opens, closes) in hours.items():
        if weekday not in range(7):
            raise ValueError(f"weekday must be 0 (Monday) .. 6 (Sunday), got {weekday!r}")
        if not opens < closes:
            raise ValueError(f"office hours for weekday {weekday}: opening {opens} must be before closing {closes}")
        checked[weekday] = (opens, closes)
    if not checked:
        raise ValueError("office_hours must open on at least one weekday")
    return checked


def _closure_names(closures: Iterable[date] | Mapping[date, str]) -> dict[date, str]:
    """Normalise closures to date -> name so holiday_name can explain them."""
    if isinstance(closures, Mapping):
        return {_as_date(d): name or DEFAULT_CLOSURE_NAME for d, name in closures.items()}
    return {_as_date(d): DEFAULT_CLOSURE_NAME for d in closures}
