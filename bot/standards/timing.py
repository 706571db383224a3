"""The completion-time field as a whole: one duration, alternatives, or a list of timed steps.

:func:`bot.standards.durations.parse_duration` reads one text. A field often holds
more than one: cases ("Sambungan baru standart … 2 hari kerja" / "Sambungan baru non
standart … 5 hari kerja"), where the first is the standard case, or every step with its
own time ("Pendaftaran (waktu 1 menit)", "15 Menit Front office menerima …"), where the
standard promises no total unless it states one; summing the steps would put words in
the agency's mouth. Both cases are reported in a warning, with the figures read.
"""
from __future__ import annotations

import re

from .durations import parse_duration

_HAS_DURATION_RE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:\([^)\n]{0,30}\)\s*)?(?:menit|jam|hari|minggu|pekan|detik)\b", re.I)
#: A time that is an estimate of something after the service ("KTP diantarkan via POS … perkiraan 2 hari kerja").
_AFTER_RE = re.compile(r"\b(?:perkiraan|estimasi|diperkirakan|kira-kira|diantar\w*|dikirim\w*|pengiriman)\b", re.I)
_TOTAL_RE = re.compile(r"\b(?:total|keseluruhan|seluruhnya|jumlah\s+waktu|secara\s+keseluruhan)\b", re.I)


def has_duration(text: str) -> bool:
    return bool(_HAS_DURATION_RE.search(text))


def _lead(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower())[:2])


def read_completion(items: list[str]) -> tuple[dict, list[str], list[str] | None]:
    """``(completion_time, warnings, steps)``; ``steps`` when the field lists timed steps."""
    text = "; ".join(items)
    timed = [t for t in items if has_duration(t)]
    if len(timed) >= 3 and len(timed) >= len(items) - 1:
        total = next((t for t in items if _TOTAL_RE.search(t) and has_duration(t)), None)
        if total is not None:
            value = parse_duration(total)
            return {**value, "text": text}, [f"completion time: the stated total is used ('{total[:80]}')"], None
        summed = parse_duration(text)
        figure = ", ".join(f"{k} {v}" for k, v in (("minutes", summed["minutes"]),
                                                    ("working days", summed["working_days"])) if v)
        return ({"text": text, "minutes": None, "working_days": None},
                [f"completion time: {len(timed)} steps each with its own time and no total stated "
                 f"(their sum would be {figure}); left empty"], items)
    after = [t for t in timed if _AFTER_RE.search(t)]
    if after and len(after) < len(timed):
        own = [t for t in timed if t not in after]
        value = parse_duration("; ".join(own))
        return ({**value, "text": text},
                [f"completion time: '{after[0][:60]}' is an estimate after the service; not added"], None)
    if len(items) >= 2 and len(timed) == len(items) and len({_lead(t) for t in items}) == 1:
        first = parse_duration(items[0])
        return ({**first, "text": text},
                [f"completion time: {len(items)} cases with their own times; the first ('{items[0][:60]}') is used"],
                None)
    return parse_duration(text), [], None
