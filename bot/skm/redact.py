"""Suggestions keep what the citizen wrote, minus what identifies them: phone numbers, NIK, e-mail addresses."""
from __future__ import annotations

import re

#: Runs of 8+ digits (spaces, dots and dashes between them allowed): phone numbers, NIK, account numbers.
_DIGITS = re.compile(r"\+?\d[\d\s.-]{6,}\d")
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
MASK = "[…]"


def redact(text: str) -> str:
    """``text`` with phone numbers, NIK and e-mail addresses replaced by "[…]"."""
    return _EMAIL.sub(MASK, _DIGITS.sub(MASK, text or ""))
