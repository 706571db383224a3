"""Recognise ticket numbers and status questions ("status ADU-2611-0042", "cek adu 2611 0042")."""
from __future__ import annotations

import re

NUMBER = re.compile(r"\b([A-Za-z]{2,6})[\s-]?(\d{4})[\s-]?(\d{3,6})\b")
STATUS_WORDS = re.compile(r"^\s*/?(status|cek|check|lacak)\b", re.IGNORECASE)


def parse_ticket_number(text: str) -> str | None:
    """The ticket number in ``text`` in its canonical form (ADU-2611-0042), or None."""
    m = NUMBER.search(text or "")
    if not m:
        return None
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}"


def status_request(text: str) -> str | None:
    """The number when ``text`` asks for a status ("status X", "cek X"), else None."""
    if not STATUS_WORDS.match(text or ""):
        return None
    return parse_ticket_number(text)


def bare_ticket_number(text: str) -> str | None:
    """The number when the whole message is a ticket number ("ADU-2612-0001", "adu 2612 0001")."""
    m = NUMBER.fullmatch((text or "").strip().strip(".?!"))
    return f"{m.group(1).upper()}-{m.group(2)}-{m.group(3)}" if m else None
