"""Signed, expiring links to stored evidence and rendered reports: never a public file URL."""
from __future__ import annotations

import hashlib
import hmac
import time


def sign(secret: str, evidence_id: int, expires: int) -> str:
    msg = f"evidence:{evidence_id}:{expires}".encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def evidence_link(base_url: str, secret: str, evidence_id: int, ttl_seconds: int = 3600, now: float | None = None) -> str:
    expires = int((now or time.time()) + ttl_seconds)
    return f"{base_url}/media/evidence/{evidence_id}?exp={expires}&sig={sign(secret, evidence_id, expires)}"


def verify(secret: str, evidence_id: int, expires: str, signature: str, now: float | None = None) -> bool:
    try:
        exp = int(expires)
    except (TypeError, ValueError):
        return False
    if exp < (now or time.time()):
        return False
    return hmac.compare_digest(sign(secret, evidence_id, exp), signature or "")


def _sign_file(secret: str, name: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"report:{name}:{expires}".encode(), hashlib.sha256).hexdigest()


def report_link(base_url: str, secret: str, name: str, ttl_seconds: int = 3600, now: float | None = None) -> str:
    """A link to a rendered report file that Twilio can fetch (``MediaUrl``) until it expires."""
    expires = int((now or time.time()) + ttl_seconds)
    return f"{base_url}/media/report/{name}?exp={expires}&sig={_sign_file(secret, name, expires)}"


def verify_report(secret: str, name: str, expires: str, signature: str, now: float | None = None) -> bool:
    try:
        exp = int(expires)
    except (TypeError, ValueError):
        return False
    if exp < (now or time.time()):
        return False
    return hmac.compare_digest(_sign_file(secret, name, exp), signature or "")
