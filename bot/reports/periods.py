"""Report periods: a month ("2026-11") or a semester ("2026-2"), as local dates and as UTC instants.

A period runs from local midnight of its first day to local midnight after
its last, in the agency's timezone: a ticket opened at 00:30 WITA on 1
December (16:30 UTC on 30 November) counts in December, as the agency's own
register would have it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

ROMAN = {1: "I", 2: "II"}


class BadPeriod(ValueError):
    """A period that is neither YYYY-MM nor YYYY-1 / YYYY-2."""


@dataclass(frozen=True)
class Period:
    kind: str  # "month" | "semester"
    year: int
    number: int  # month 1..12, or semester 1..2

    @property
    def label(self) -> str:
        """As typed on the command line and used in file names: "2026-11" or "2026-2"."""
        return f"{self.year}-{self.number:02d}" if self.kind == "month" else f"{self.year}-{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.number if self.kind == "month" else 6 * self.number - 5, 1)

    @property
    def next_first_day(self) -> date:
        months = 1 if self.kind == "month" else 6
        index = self.first_day.month - 1 + months
        return date(self.year + index // 12, index % 12 + 1, 1)

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """[start, end) in UTC: local midnight of the first day and of the day after the last."""
        zone = ZoneInfo(tz)
        start = datetime.combine(self.first_day, time(0), zone).astimezone(timezone.utc)
        end = datetime.combine(self.next_first_day, time(0), zone).astimezone(timezone.utc)
        return start, end

    def title(self, month_names: list[str]) -> str:
        """"November 2026" or "Semester II 2026" (month names from the wording file)."""
        if self.kind == "month":
            return f"{month_names[self.number - 1]} {self.year}"
        return f"Semester {ROMAN[self.number]} {self.year}"


def month(text: str) -> Period:
    """Parse --month YYYY-MM."""
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})\s*", text or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BadPeriod(f"month must be YYYY-MM, e.g. 2026-11, got {text!r}")
    return Period("month", int(m.group(1)), int(m.group(2)))


def semester(text: str) -> Period:
    """Parse --semester YYYY-1 or YYYY-2."""
    m = re.fullmatch(r"\s*(\d{4})-([12])\s*", text or "")
    if not m:
        raise BadPeriod(f"semester must be YYYY-1 or YYYY-2, e.g. 2026-2, got {text!r}")
    return Period("semester", int(m.group(1)), int(m.group(2)))


def containing(day: date, kind: str = "month") -> Period:
    """The month (or semester) that ``day`` falls in."""
    if kind == "month":
        return Period("month", day.year, day.month)
    return Period("semester", day.year, 1 if day.month <= 6 else 2)


def previous_month(day: date) -> Period:
    """The last full month before ``day``'s month."""
    return Period("month", day.year - 1, 12) if day.month == 1 else Period("month", day.year, day.month - 1)


def parse_spoken(text: str, today: date, month_words: list[list[str]], default: Period) -> Period:
    """A period as officers type it in chat: "2026-11", "2026-2", "semester 2 2026", "smt 1", "november 2026", "nov".

    ``month_words``: for each month, the words that name it (from the wording file).
    A missing year is this year; nothing at all is ``default``.
    """
    words = (text or "").strip().lower().replace("/", " ").split()
    if not words:
        return default
    joined = " ".join(words)
    for parse in (month, semester):
        try:
            return parse(joined)
        except BadPeriod:
            pass
    years = [int(w) for w in words if re.fullmatch(r"\d{4}", w)]
    year = years[0] if years else today.year
    rest = [w for w in words if not re.fullmatch(r"\d{4}", w)]
    if rest and rest[0] in ("semester", "smt", "sem", "s") and len(rest) == 2 and rest[1] in ("1", "2", "i", "ii"):
        return Period("semester", year, 1 if rest[1] in ("1", "i") else 2)
    if len(rest) == 1 and re.fullmatch(r"s(em|mt)?[12]", rest[0]):
        return Period("semester", year, int(rest[0][-1]))
    if len(rest) == 1:
        for number, names in enumerate(month_words, 1):
            if rest[0] in names:
                return Period("month", year, number)
    raise BadPeriod(f"unknown period {text!r}")
