"""Make hostile-but-signed payloads safe to store: the checks both channel adapters share.

A payload reaches the database only through these: no NUL characters (PostgreSQL
refuses them in text and JSON), no lone surrogates (they cannot be encoded), no
NaN or infinities (JSON has none), strings and nesting bounded. A payload that
fails a check the adapter needs (an id, a chat) raises ``Unusable``; the webhook
answers it 200 so the platform does not redeliver what can never be used.
"""
from __future__ import annotations

import math
import re
from itertools import islice
from typing import Any

TEXT_LIMIT = 4096  # WhatsApp and Telegram allow 4,096 characters in a message; anything longer is not genuine
FIELD_LIMIT = 8192  # any one stored value
NAME_LIMIT = 200  # citizens.display_name
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_DEPTH = 20


class Unusable(ValueError):
    """The payload lacks what Loket needs to handle it; ``reason`` says what (no personal data)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


def text(value: Any, limit: int = FIELD_LIMIT) -> str:
    """``value`` as storable text: no NUL, no lone surrogates, at most ``limit`` characters."""
    if value is None:
        return ""
    if type(value) is str and len(value) <= limit and value.isascii() and "\x00" not in value:
        return value  # the usual case, at a webhook's every field: nothing to clean
    value = str(value)[:2 * limit]  # bounded work on a huge value
    if "\x00" in value:
        value = value.replace("\x00", "")
    value = value[:limit]
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def optional_text(value: Any, limit: int = FIELD_LIMIT) -> str | None:
    cleaned = text(value, limit).strip() if value is not None else ""
    return cleaned or None


def platform_id(value: Any) -> str:
    """A message's id on the platform (Twilio SID, Telegram update id) as text, or ``Unusable``."""
    if isinstance(value, bool) or value is None:
        raise Unusable("no message id")
    if isinstance(value, int):
        if not 0 <= value < 2**63:
            raise Unusable("message id out of range")
        return str(value)
    if isinstance(value, str) and ID_PATTERN.match(value):
        return value
    raise Unusable("malformed message id")


def chat_id(value: Any) -> str:
    """A Telegram chat or user id (a 64-bit integer) as text, or ``Unusable``."""
    if isinstance(value, bool) or not isinstance(value, int) or not -(2**63) < value < 2**63:
        raise Unusable("malformed chat id")
    return str(value)


def coordinate(value: Any, bound: float) -> float | None:
    """A latitude (bound 90) or longitude (bound 180) as a finite float, else None."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) and -bound <= number <= bound else None


def payload(value: Any, depth: int = 0) -> Any:
    """A JSON-able copy of ``value`` that any database stores: strings cleaned, numbers finite, nesting bounded."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {text(k, 200): payload(v, depth + 1) for k, v in islice(value.items(), 500)}
    if isinstance(value, (list, tuple)):
        return [payload(v, depth + 1) for v in value[:500]]
    if isinstance(value, str):
        return text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value if -(2**63) < value < 2**63 else str(value)[:40]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return text(value)
