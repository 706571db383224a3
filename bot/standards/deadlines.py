"""Complaint-handling deadlines by class ("Pengaduan ringan, selambat-lambatnya 3 jam").

The class is kept as written; "jam" gives ``hours``, "hari kerja"/"hari" give
``working_days`` ("minggu" = 5 working days). Several tiers run together on
one line are read one after the other.
"""
from __future__ import annotations

import re

_TIER_RE = re.compile(
    r"(?P<cls>[A-Za-z][^,;:\d()]*?)\s*[,:;\-–]?\s*"
    r"(?:(?:selambat-?\s*lambatnya|paling\s+lambat|paling\s+lama|maksimal|maks\.?|dalam\s+waktu|dalam|max\.?)\s+)?"
    r"(?P<n>\d+)\s*(?:\([^)\n]{0,30}\)\s*)?(?P<unit>jam|hari\s+kerja|hari|minggu|pekan)\b",
    re.I,
)

_QUICK_RE = re.compile(r"\d\s*(?:\([^)\n]{0,30}\)\s*)?(?:jam|hari|minggu|pekan)", re.I)


def deadlines_in(text: str) -> list[dict]:
    """Every deadline tier written in ``text``."""
    out: list[dict] = []
    if not _QUICK_RE.search(text):
        return out
    for m in _TIER_RE.finditer(text):
        cls = re.sub(r"^[\s\W\d]+", "", m.group("cls")).strip()
        cls = re.sub(r"\s+", " ", cls)
        if not cls:
            continue
        n = int(m.group("n"))
        unit = re.sub(r"\s+", " ", m.group("unit").lower())
        hours = n if unit == "jam" else None
        days = n if unit in ("hari", "hari kerja") else n * 5 if unit in ("minggu", "pekan") else None
        out.append({"class": cls, "hours": hours, "working_days": days})
    return out
