"""Periods: their bounds at the agency's midnight, and how officers type them in chat."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.reports.periods import BadPeriod, Period, containing, month, parse_spoken, previous_month, semester

WORDS = [w.split(",") for w in ("januari,jan|februari,feb|maret,mar|april,apr|mei|juni,jun|juli,jul|agustus,agu|"
                                "september,sep|oktober,okt|november,nov|desember,des").split("|")]
TODAY = date(2026, 12, 1)
DEFAULT = Period("month", 2026, 12)


def test_bounds_are_local_midnights_in_utc():
    assert month("2026-11").bounds("Asia/Makassar") == (datetime(2026, 10, 31, 16, tzinfo=timezone.utc),
                                                        datetime(2026, 11, 30, 16, tzinfo=timezone.utc))
    assert semester("2026-2").bounds("Asia/Pontianak") == (datetime(2026, 6, 30, 17, tzinfo=timezone.utc),
                                                           datetime(2026, 12, 31, 17, tzinfo=timezone.utc))
    assert month("2026-12").next_first_day == date(2027, 1, 1)


def test_labels_and_titles():
    names = [w[0].title() for w in WORDS]
    assert month("2026-03").label == "2026-03" and month("2026-03").title(names) == "Maret 2026"
    assert semester("2026-1").label == "2026-1" and semester("2026-1").title(names) == "Semester I 2026"


@pytest.mark.parametrize("typed, period", [
    ("2026-11", Period("month", 2026, 11)), ("2026-2", Period("semester", 2026, 2)),
    ("semester 1 2026", Period("semester", 2026, 1)), ("smt 2", Period("semester", 2026, 2)),
    ("s1 2027", Period("semester", 2027, 1)), ("November 2026", Period("month", 2026, 11)),
    ("okt", Period("month", 2026, 10)), ("", DEFAULT), ("semester II", Period("semester", 2026, 2)),
])
def test_what_officers_type(typed, period):
    assert parse_spoken(typed, TODAY, WORDS, DEFAULT) == period


@pytest.mark.parametrize("typed", ["kemarin", "2026-13", "semester 3", "13"])
def test_what_is_no_period(typed):
    with pytest.raises(BadPeriod):
        parse_spoken(typed, TODAY, WORDS, DEFAULT)


def test_containing_and_previous():
    assert containing(date(2026, 7, 1), "semester") == Period("semester", 2026, 2)
    assert previous_month(date(2027, 1, 15)) == Period("month", 2026, 12)
