"""SLA classes: the four standard tiers, their deadlines and the 50%/80% reminders."""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.workdays import WorkingCalendar
from bot.calendar.sla import DEFAULT_CLASSES, SlaClass, deadline, reminder_points

WITA = ZoneInfo("Asia/Makassar")
CAL = WorkingCalendar(
    "Asia/Makassar",
    {0: (time(8), time(16)), 1: (time(8), time(16)), 2: (time(8), time(16)), 3: (time(8), time(16)), 4: (time(8), time(16, 30))},
)


def wita(iso: str) -> datetime:
    return datetime.fromisoformat(iso).replace(tzinfo=WITA)


def test_default_classes_are_the_four_standard_tiers() -> None:
    assert DEFAULT_CLASSES == {
        "ringan": SlaClass("ringan", hours=3, working_days=None),
        "normatif": SlaClass("normatif", hours=None, working_days=5),
        "tidak_berkadar_pengawasan": SlaClass("tidak_berkadar_pengawasan", hours=None, working_days=14),
        "berkadar_pengawasan": SlaClass("berkadar_pengawasan", hours=None, working_days=60),
    }


@pytest.mark.parametrize("kwargs", [{}, {"hours": 3, "working_days": 5}, {"working_days": -1}])
def test_sla_class_needs_exactly_one_non_negative_amount(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        SlaClass("x", **kwargs)


@pytest.mark.parametrize(
    ("class_id", "expected"),
    [
        # Received Tue 17 Mar 2026 10:00 WITA, just before Nyepi / Idul Fitri (18-24 Mar closed).
        ("ringan", "2026-03-17 13:00"),
        ("normatif", "2026-03-31 16:00"),
        ("tidak_berkadar_pengawasan", "2026-04-14 16:00"),
        ("berkadar_pengawasan", "2026-06-26 16:30"),
    ],
)
def test_default_class_deadlines(class_id: str, expected: str) -> None:
    assert deadline(CAL, DEFAULT_CLASSES[class_id], wita("2026-03-17 10:00")) == wita(expected)


def test_ringan_over_the_holidays() -> None:
    assert deadline(CAL, DEFAULT_CLASSES["ringan"], wita("2026-03-17 14:30")) == wita("2026-03-25 09:30")


def test_reminders_for_normatif_hand_computed() -> None:
    # Tue 17 Mar 10:00 -> Tue 31 Mar 16:00: 6 h on the 17th + 8+8+8.5+8+8 h = 46.5 h of office time.
    start = wita("2026-03-17 10:00")
    end = deadline(CAL, DEFAULT_CLASSES["normatif"], start)
    half, eighty = reminder_points(CAL, start, end)
    # 23.25 h: 6 (17th) + 8 (25th) + 8 (26th) = 22 h, then 1.25 h into Fri 27th.
    assert half == wita("2026-03-27 09:15")
    # 37.2 h: 22 + 8.5 (27th) + 6.7 h into Mon 30th = 14:42.
    assert eighty == wita("2026-03-30 14:42")


@settings(deadline=None, max_examples=100)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(timezone.utc)),
    class_id=st.sampled_from(sorted(DEFAULT_CLASSES)),
)
def test_reminders_lie_between_start_and_deadline_inside_office_hours(start: datetime, class_id: str) -> None:
    end = deadline(CAL, DEFAULT_CLASSES[class_id], start)
    points = reminder_points(CAL, start, end)
    assert len(points) == 2
    assert start < points[0] < points[1] < end
    for point in points:
        assert CAL.is_open(point)
        assert point.tzinfo == WITA
    total = CAL.office_seconds_between(start, end)
    assert CAL.office_seconds_between(start, points[0]) == pytest.approx(0.5 * total, abs=1e-3)
    assert CAL.office_seconds_between(start, points[1]) == pytest.approx(0.8 * total, abs=1e-3)
