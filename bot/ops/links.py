"""Signed, expiring links to stored evidence and rendered reports: never a public file URL.

One HMAC over ``kind:name:expiry`` serves both kinds; the kind is part of what is signed, so an
evidence signature never opens a report of the same name, nor the other way round.
"""
from __future__ import annotations

import hashlib
import hmac
import time


def _sign(secret: str, kind: str, name: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"{kind}:{name}:{expires}".encode(), hashlib.sha256).hexdigest()


def _link(base_url: str, secret: str, kind: str, name: str, ttl_seconds: int, now: float | None) -> str:
    expires = int((now or time.time()) + ttl_seconds)
    return f"{base_url}/media/{kind}/{name}?exp={expires}&sig={_sign(secret, kind, name, expires)}"


def _verify(secret: str, kind: str, name: str, expires: str, signature: str, now: float | None) -> bool:
    try:
        exp = int(expires)
    except (TypeError, ValueError):
        return False
    if exp < (now or time.time()):
        return False
    return hmac.compare_digest(_sign(secret, kind, name, exp), signature or "")


def evidence_link(base_url: str, secret: str, evidence_id: int, ttl_seconds: int = 3600, now: float | None = None) -> str:
    return _link(base_url, secret, "evidence", str(evidence_id), ttl_seconds, now)


def verify(secret: str, evidence_id: int, expires: str, signature: str, now: float | None = None) -> bool:
    return _verify(secret, "evidence", str(evidence_id), expires, signature, now)


def report_link(base_url: str, secret: str, name: str, ttl_seconds: int = 3600, now: float | None = None) -> str:
    """A link to a rendered report file that Twilio can fetch (``MediaUrl``) until it expires."""
    return _link(base_url, secret, "report", name, ttl_seconds, now)


def verify_report(secret: str, name: str, expires: str, signature: str, now: float | None = None) -> bool:
    return _verify(secret, "report", name, expires, signature, now)
