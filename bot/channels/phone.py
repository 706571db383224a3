"""Phone numbers: normalise to E.164, and mask phones and ids before they reach a log."""
from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-.()/]")
_SCHEMES = ("whatsapp:", "tel:")
MIN_DIGITS = 8  # E.164 allows up to 15 digits; shorter than 8 is no reachable number
MAX_DIGITS = 15


def to_e164(raw: str, default_region_code: str = "62") -> str:
    """Return ``raw`` as an E.164 number ("+6281234567890"), or raise ValueError.

    Accepts "whatsapp:+62…", "+62 812-3456-7890", "62812…", "0812…" (national,
    with trunk 0), "00 62 812…" and "812…" (national, without the trunk 0).
    The error message never repeats the number.
    """
    if not isinstance(raw, str):
        raise ValueError("phone number must be text")
    value = raw.strip()
    for scheme in _SCHEMES:
        if value.lower().startswith(scheme):
            value = value[len(scheme):]
    value = _SEPARATORS.sub("", value)
    if not value:
        raise ValueError("phone number is empty")
    if value.startswith("+"):
        digits = value[1:]
    elif value.startswith("00"):
        digits = value[2:]
    elif value.startswith("0"):
        digits = default_region_code + value[1:]
    elif value.startswith(default_region_code):
        digits = value
    else:
        digits = default_region_code + value
    if not digits.isdigit():
        raise ValueError("phone number may contain only digits, spaces, dashes and a leading +")
    if digits.startswith(default_region_code + "0"):
        # "+62 (0)812…": the trunk 0 does not belong after the country code.
        digits = default_region_code + digits[len(default_region_code) + 1:]
    if digits.startswith("0"):
        raise ValueError("phone number has no country code")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise ValueError(f"phone number has {len(digits)} digits; expected {MIN_DIGITS} to {MAX_DIGITS}")
    return "+" + digits


def mask(value: object) -> str:
    """Return ``value`` (a phone number, chat key or platform id) redacted for logs: "+628****90".

    Keeps a channel prefix such as "whatsapp:", the first 4 and the last 2
    characters; the hidden part is always "****" so its length does not show.
    """
    if value is None:
        return ""
    text = str(value)
    prefix = ""
    head, sep, tail = text.partition(":")
    if sep and head.isalpha():
        prefix, text = head + sep, tail
    if len(text) <= 8:
        return prefix + "****" + text[-2:] if len(text) > 4 else prefix + "****"
    return f"{prefix}{text[:4]}****{text[-2:]}"
