"""Working-day arithmetic against hand-computed deadlines on the official calendar.

Expected values below were worked out by hand from the SKB 3 Menteri calendars
(holidays and cuti bersama) for 2025 and 2026, which ``holidays.ID`` reproduces:

2025  Mar 28 Fri cuti Nyepi, Mar 29 Sat Nyepi, Mar 31 Mon / Apr 1 Tue Idul Fitri,
      Apr 2, 3, 4, 7 cuti Idul Fitri; Dec 25 Thu Natal, Dec 26 Fri cuti Natal.
2026  Jan 1 Thu Tahun Baru; Mar 18 Wed cuti Nyepi, Mar 19 Thu Nyepi,
      Mar 20 Fri cuti Idul Fitri, Mar 21-22 Sat-Sun Idul Fitri, Mar 23-24 Mon-Tue cuti;
      Apr 3 Fri Wafat Yesus Kristus; May 1, 14, 15 (cuti), 27, 28 (cuti); Jun 1, Jun 16;
      Dec 24 Thu cuti Natal, Dec 25 Fri Natal.
2027  Jan 1 Fri Tahun Baru.

Office hours in these tests: Mon-Thu 08:00-16:00, Fri 08:00-16:30.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.workdays import DEFAULT_OFFICE_HOURS, WorkingCalendar

WITA = "Asia/Makassar"
WIB = "Asia/Pontianak"
HOURS = {
    0: (time(8), time(16)),
    1: (time(8), time(16)),
    2: (time(8), time(16)),
    3: (time(8), time(16)),
    4: (time(8), time(16, 30)),
}

CALENDARS = {WITA: WorkingCalendar(WITA, HOURS), WIB: WorkingCalendar(WIB, HOURS)}


def at(tz: str, iso: str) -> datetime:
    """A local wall-clock time in ``tz``, written as ISO text to keep the tables readable."""
    return datetime.fromisoformat(iso).replace(tzinfo=ZoneInfo(tz))


# ------------------------------------------------------------ official days

@pytest.mark.parametrize(
    "day",
    [
        "2025-03-28", "2025-03-31", "2025-04-01", "2025-04-02", "2025-04-03", "2025-04-04", "2025-04-07",
        "2025-12-25", "2025-12-26", "2026-01-01", "2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23",
        "2026-03-24", "2026-04-03", "2026-12-24", "2026-12-25", "2027-01-01",
    ],
)
def test_official_closed_weekdays(day: str) -> None:
    cal = CALENDARS[WITA]
    d = date.fromisoformat(day)
    assert not cal.is_working_day(d)
    assert cal.holiday_name(d)


@pytest.mark.parametrize("day", ["2025-03-27", "2025-04-08", "2025-12-24", "2026-03-17", "2026-03-25", "2026-12-23", "2026-12-28"])
def test_ordinary_working_days(day: str) -> None:
    cal = CALENDARS[WITA]
    d = date.fromisoformat(day)
    assert cal.is_working_day(d)
    assert cal.holiday_name(d) is None


def test_holiday_names_are_indonesian() -> None:
    cal = CALENDARS[WITA]
    assert cal.holiday_name(date(2026, 3, 19)) == "Hari Suci Nyepi"
    assert "Cuti Bersama" in (cal.holiday_name(date(2026, 3, 18)) or "")


def test_weekend_is_closed_but_not_a_holiday() -> None:
    cal = CALENDARS[WITA]
    assert not cal.is_working_day(date(2026, 3, 28))
    assert cal.holiday_name(date(2026, 3, 28)) is None


def test_next_working_day_skips_nyepi_and_idul_fitri() -> None:
    assert CALENDARS[WITA].next_working_day(date(2026, 3, 17)) == date(2026, 3, 25)
    assert CALENDARS[WIB].next_working_day(date(2025, 3, 27)) == date(2025, 4, 8)


# ------------------------------------------------------- working-day table

@pytest.mark.parametrize(
    ("tz", "received", "n", "expected"),
    [
        # Nyepi + Idul Fitri 2026: Mar 18-24 closed, so day 1 after Tue Mar 17 is Wed Mar 25.
        (WITA, "2026-03-17 10:00", 0, "2026-03-17 16:00"),
        (WITA, "2026-03-17 10:00", 1, "2026-03-25 16:00"),
        (WITA, "2026-03-17 10:00", 5, "2026-03-31 16:00"),
        (WITA, "2026-03-17 10:00", 14, "2026-04-14 16:00"),  # skips Good Friday Apr 3
        (WITA, "2026-03-17 10:00", 60, "2026-06-26 16:30"),  # skips May 1/14/15/27/28, Jun 1/16
        (WIB, "2026-03-17 10:00", 5, "2026-03-31 16:00"),
        # After closing time: day 0 becomes the next working day (Mar 25).
        (WITA, "2026-03-17 16:30", 5, "2026-04-01 16:00"),
        (WITA, "2026-03-16 16:00", 1, "2026-03-25 16:00"),  # exactly at closing counts as after hours
        # Before opening on a working day: still that day.
        (WITA, "2026-03-17 06:45", 0, "2026-03-17 16:00"),
        # Received on Nyepi itself: day 0 is Mar 25.
        (WITA, "2026-03-19 09:00", 0, "2026-03-25 16:00"),
        (WITA, "2026-03-21 09:00", 2, "2026-03-27 16:30"),  # ends on a Friday: Friday closing
        # Nyepi (Sat) + Idul Fitri 2025: Mar 28 - Apr 7 closed.
        (WITA, "2025-03-26 09:00", 5, "2025-04-11 16:30"),
        (WIB, "2025-03-27 15:00", 5, "2025-04-14 16:00"),
        (WIB, "2025-03-29 10:00", 1, "2025-04-09 16:00"),
        # Year end 2025: Dec 25 Natal, Dec 26 cuti, Jan 1 Tahun Baru.
        (WITA, "2025-12-23 11:00", 5, "2026-01-02 16:30"),
        (WITA, "2025-12-24 17:00", 1, "2025-12-30 16:00"),
        # Year end 2026: Dec 24 cuti, Dec 25 Natal, Jan 1 2027 Tahun Baru.
        (WIB, "2026-12-23 10:00", 3, "2026-12-30 16:00"),
        (WIB, "2026-12-23 10:00", 5, "2027-01-04 16:00"),
    ],
)
def test_add_working_days_table(tz: str, received: str, n: int, expected: str) -> None:
    deadline = CALENDARS[tz].add_working_days(at(tz, received), n)
    assert deadline == at(tz, expected)
    assert deadline.tzinfo == ZoneInfo(tz)


def test_result_is_in_agency_timezone_whatever_the_input_zone() -> None:
    utc_start = at(WITA, "2026-03-17 10:00").astimezone(timezone.utc)
    deadline = CALENDARS[WITA].add_working_days(utc_start, 5)
    assert deadline.utcoffset() == timedelta(hours=8)
    assert deadline.isoformat() == "2026-03-31T16:00:00+08:00"


def test_same_utc_instant_on_different_local_days() -> None:
    """16:30 UTC on 31 Dec 2025 is New Year's Day in Bali but still 31 Dec in Pontianak."""
    instant = datetime(2025, 12, 31, 16, 30, tzinfo=timezone.utc)
    wita, wib = CALENDARS[WITA], CALENDARS[WIB]
    assert wita.local(instant).date() == date(2026, 1, 1)
    assert wib.local(instant).date() == date(2025, 12, 31)
    assert not wita.is_working_day(wita.local(instant).date())
    assert wib.is_working_day(wib.local(instant).date())
    # Both roll to Fri 2 Jan (WITA: holiday; WIB: after hours), day 1 is Mon 5 Jan,
    # but closing time is an hour apart in absolute terms.
    assert wita.add_working_days(instant, 1) == at(WITA, "2026-01-05 16:00")
    assert wib.add_working_days(instant, 1) == at(WIB, "2026-01-05 16:00")
    assert wita.add_working_days(instant, 1).astimezone(timezone.utc) == datetime(2026, 1, 5, 8, tzinfo=timezone.utc)
    assert wib.add_working_days(instant, 1).astimezone(timezone.utc) == datetime(2026, 1, 5, 9, tzinfo=timezone.utc)
    assert wita.add_office_hours(instant, 3) == at(WITA, "2026-01-02 11:00")
    assert wib.add_office_hours(instant, 3) == at(WIB, "2026-01-02 11:00")


def test_same_utc_instant_open_in_wib_closed_in_wita() -> None:
    """08:30 UTC is 15:30 in Pontianak (open) but 16:30 in Bali (closed): different day 0."""
    instant = datetime(2026, 3, 17, 8, 30, tzinfo=timezone.utc)
    assert CALENDARS[WIB].add_working_days(instant, 5) == at(WIB, "2026-03-31 16:00")
    assert CALENDARS[WITA].add_working_days(instant, 5) == at(WITA, "2026-04-01 16:00")


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        CALENDARS[WITA].add_working_days(datetime(2026, 3, 17, 10), 5)


# ---------------------------------------------------------------- closures

def test_local_closure_from_content_is_honoured() -> None:
    cal = WorkingCalendar(WITA, HOURS, closures={date(2026, 3, 26): "Hari jadi Kabupaten"})
    assert not cal.is_working_day(date(2026, 3, 26))
    assert cal.holiday_name(date(2026, 3, 26)) == "Hari jadi Kabupaten"
    # Mar 25 (1), [26 closed], 27 (2), 30 (3), 31 (4), Apr 1 (5)
    assert cal.add_working_days(at(WITA, "2026-03-17 10:00"), 5) == at(WITA, "2026-04-01 16:00")


def test_closures_as_plain_dates() -> None:
    cal = WorkingCalendar(WIB, HOURS, closures=[date(2026, 12, 28)])
    assert cal.holiday_name(date(2026, 12, 28))
    # Dec 29 (1), 30 (2), 31 (3)
    assert cal.add_working_days(at(WIB, "2026-12-23 10:00"), 3) == at(WIB, "2026-12-31 16:00")


def test_without_cuti_bersama_only_public_holidays_close() -> None:
    cal = WorkingCalendar(WITA, HOURS, include_cuti_bersama=False)
    assert cal.is_working_day(date(2025, 12, 26))
    assert not cal.is_working_day(date(2025, 12, 25))
    # Dec 24 (1), [25], 26 (2), 29 (3), 30 (4), 31 (5)
    assert cal.add_working_days(at(WITA, "2025-12-23 11:00"), 5) == at(WITA, "2025-12-31 16:00")


def test_cuti_bersama_supplied_as_closures_when_package_lacks_them() -> None:
    """A future year's SKB arrives as content before the holidays package knows it."""
    skb_2025_year_end = [date(2025, 12, 26)]
    cal = WorkingCalendar(WITA, HOURS, closures=skb_2025_year_end, include_cuti_bersama=False)
    assert cal.add_working_days(at(WITA, "2025-12-23 11:00"), 5) == at(WITA, "2026-01-02 16:30")


def test_default_office_hours_and_validation() -> None:
    assert WorkingCalendar(WITA).office_hours == DEFAULT_OFFICE_HOURS
    with pytest.raises(ValueError):
        WorkingCalendar(WITA, {0: (time(16), time(8))})
    with pytest.raises(ValueError):
        WorkingCalendar(WITA, {})


# ------------------------------------------------------------ office hours

@pytest.mark.parametrize(
    ("tz", "received", "hours", "expected"),
    [
        (WITA, "2026-03-16 09:00", 3, "2026-03-16 12:00"),
        (WITA, "2026-03-16 13:00", 3, "2026-03-16 16:00"),  # ends exactly at closing, same day
        (WITA, "2026-03-13 15:00", 3, "2026-03-16 09:30"),  # Fri 1.5 h + weekend + Mon 1.5 h
        (WITA, "2026-03-17 14:30", 3, "2026-03-25 09:30"),  # across Nyepi, Idul Fitri and a weekend
        (WITA, "2026-03-17 20:00", 3, "2026-03-25 11:00"),  # after hours: clock starts next opening
        (WITA, "2025-03-27 14:00", 3, "2025-04-08 09:00"),  # Thu 2 h, Mar 28-Apr 7 closed, Tue 1 h
        (WIB, "2025-12-24 15:00", 3, "2025-12-29 10:00"),  # Natal + cuti + weekend
        (WIB, "2026-03-14 10:00", 3, "2026-03-16 11:00"),  # Saturday
    ],
)
def test_add_office_hours_table(tz: str, received: str, hours: float, expected: str) -> None:
    assert CALENDARS[tz].add_office_hours(at(tz, received), hours) == at(tz, expected)


def test_office_measures() -> None:
    cal = CALENDARS[WITA]
    start, end = at(WITA, "2026-03-13 15:00"), at(WITA, "2026-03-16 09:30")
    assert cal.office_seconds_between(start, end) == 3 * 3600
    assert cal.office_seconds_between(end, start) == -3 * 3600
    assert cal.working_days_between(at(WITA, "2026-03-17 10:00"), at(WITA, "2026-03-31 16:00")) == 5
    assert cal.working_days_between(date(2026, 3, 31), date(2026, 3, 17)) == -5
    # Whole days: Mon Mar 16 and Tue Mar 17 full days = 8 h + 8 h.
    assert cal.office_seconds_between(at(WITA, "2026-03-16 00:00"), at(WITA, "2026-03-25 00:00")) == 16 * 3600


def test_point_at_fraction() -> None:
    cal = CALENDARS[WITA]
    start, deadline = at(WITA, "2026-03-13 15:00"), at(WITA, "2026-03-16 09:30")
    assert cal.point_at_fraction(start, deadline, 0.5) == at(WITA, "2026-03-13 16:30")
    assert cal.point_at_fraction(start, deadline, 0.8) == at(WITA, "2026-03-16 08:54")
    assert cal.point_at_fraction(start, deadline, 1.0) == deadline
    assert cal.point_at_fraction(start, deadline, 0.0) == start
    with pytest.raises(ValueError):
        cal.point_at_fraction(start, deadline, 1.5)


# -------------------------------------------------------------- properties

ZONES = st.sampled_from([ZoneInfo(WITA), ZoneInfo(WIB), ZoneInfo("Asia/Jayapura"), timezone.utc])
STARTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 10, 31), timezones=ZONES)
CAL_STRATEGY = st.sampled_from(list(CALENDARS.values()))


@settings(deadline=None, max_examples=150)
@given(cal=CAL_STRATEGY, start=STARTS, n=st.integers(min_value=0, max_value=60))
def test_deadline_is_closing_time_of_a_working_day_after_start(cal: WorkingCalendar, start: datetime, n: int) -> None:
    deadline = cal.add_working_days(start, n)
    assert deadline >= start
    assert cal.is_working_day(deadline.date())
    assert deadline == cal.closing(deadline.date())
    assert cal.working_days_between(cal.receipt_day(start), deadline) == n


@settings(deadline=None, max_examples=100)
@given(cal=CAL_STRATEGY, start=STARTS, n=st.integers(min_value=0, max_value=30))
def test_deadline_strictly_monotonic_in_n(cal: WorkingCalendar, start: datetime, n: int) -> None:
    assert cal.add_working_days(start, n) < cal.add_working_days(start, n + 1)


@settings(deadline=None, max_examples=150)
@given(cal=CAL_STRATEGY, start=STARTS, hours=st.floats(min_value=0.01, max_value=40))
def test_office_hours_deadline_uses_exactly_that_office_time(cal: WorkingCalendar, start: datetime, hours: float) -> None:
    deadline = cal.add_office_hours(start, hours)
    assert deadline > start
    assert cal.is_open(deadline)
    assert cal.office_seconds_between(start, deadline) == pytest.approx(hours * 3600, abs=1e-3)
