"""Completion times: "15 menit", "3 jam", "Maksimal 3 hari", "1 (satu) – 60 (enam puluh) hari kerja".

Rules (the bot quotes these numbers to citizens, so they lean to the promise
the agency makes):
- a range counts as its maximum ("1 – 60 hari kerja" -> 60);
- separate amounts of the same kind add up to a total ("1 jam 30 menit" -> 90,
  "Administrasi : 15 menit; Verifikasi : 30 menit" -> 45);
- "jam" and "menit" go to ``minutes``; "hari kerja" and plain "hari" go to
  ``working_days`` (standards count days as working days); "minggu" is five
  working days; "bulan" and anything else stays out (null);
- numbers written as words ("tiga hari") are understood when no digit is given;
- what follows an exception ("khusus …", "dapat diperpanjang …") once a duration is
  stated is the exception's, not the promise: it is left out.
"""
from __future__ import annotations

import re

_WORDS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
          "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100}
_NUM = r"(\d+(?:[.,]\d+)?)"
_PAREN = r"(?:\s*\([^)\n]{0,30}\))?"
_UNIT = r"(menit|jam|hari\s+kerja|hari|minggu|pekan|detik)"
_RANGE_RE = re.compile(
    _NUM + _PAREN + r"\s*(?:-|–|—|s\.?\s*/?\s*d\.?|sampai(?:\s+dengan)?|hingga|s/d)\s*" + _NUM + _PAREN + r"\s*" + _UNIT + r"\b",
    re.I,
)
_SINGLE_RE = re.compile(_NUM + _PAREN + r"\s*" + _UNIT + r"\b", re.I)
_WORD_NUM_RE = re.compile(
    r"\b((?:(?:se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)\s*(?:puluh|belas)"
    r"(?:\s+(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan))?)"
    r"|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas)\s+" + _UNIT + r"\b",
    re.I,
)


def words_to_int(words: str) -> int | None:
    """Indonesian number words up to 99 ("enam puluh" -> 60, "lima belas" -> 15)."""
    w = re.sub(r"\s+", " ", words.lower().strip())
    if w in _WORDS:
        return _WORDS[w]
    m = re.fullmatch(r"(se|\w+)\s*(puluh|belas)(?:\s+(\w+))?", w)
    if not m:
        return None
    head = _WORDS.get(m.group(1))
    tail = _WORDS.get(m.group(3), 0) if m.group(3) else 0
    if head is None or tail is None:
        return None
    return head * 10 + tail if m.group(2) == "puluh" else 10 + head


def _number(s: str) -> float:
    return float(s.replace(",", "."))


def _add(totals: dict[str, float], unit: str, value: float) -> None:
    unit = re.sub(r"\s+", " ", unit.lower())
    if unit == "menit":
        totals["minutes"] = totals.get("minutes", 0) + value
    elif unit == "detik":
        totals["minutes"] = totals.get("minutes", 0) + value / 60
    elif unit == "jam":
        totals["minutes"] = totals.get("minutes", 0) + value * 60
    elif unit in ("hari kerja", "hari"):
        totals["working_days"] = totals.get("working_days", 0) + value
    elif unit in ("minggu", "pekan"):
        totals["working_days"] = totals.get("working_days", 0) + value * 5


def _as_int(value: float | None) -> int | None:
    if value is None:
        return None
    return int(round(value)) if value >= 0.5 or value == 0 else 1


_EXCEPTION_RE = re.compile(r"\b(?:khusus|kecuali|diperpanjang|memperpanjang|perpanjangan|ditambah)\b", re.I)


def _main_case(text: str) -> str:
    """The text up to an exception ("… 10 hari kerja … dapat memperpanjang … 7 hari kerja") once a duration is stated."""
    for m in _EXCEPTION_RE.finditer(text):
        head = text[:m.start()]
        if _SINGLE_RE.search(head) or _WORD_NUM_RE.search(head):
            return head
    return text


def parse_duration(text: str) -> dict:
    """``{"text", "minutes", "working_days"}`` for a completion-time text."""
    full = text
    text = _main_case(text)
    totals: dict[str, float] = {}
    rest = text
    for m in _RANGE_RE.finditer(text):
        _add(totals, m.group(3), max(_number(m.group(1)), _number(m.group(2))))
    rest = _RANGE_RE.sub(" ", rest)
    for m in _SINGLE_RE.finditer(rest):
        _add(totals, m.group(2), _number(m.group(1)))
    if not totals:
        for m in _WORD_NUM_RE.finditer(text):
            n = words_to_int(m.group(1))
            if n is not None:
                _add(totals, m.group(2), n)
    return {
        "text": full,
        "minutes": _as_int(totals.get("minutes")),
        "working_days": _as_int(totals.get("working_days")),
    }
