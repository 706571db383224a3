"""Twilio's webhook signature: HMAC-SHA1 over the URL Twilio called and every form parameter."""
from __future__ import annotations

from twilio.request_validator import RequestValidator

from bot.channels.base import Inbound


def verify(secret: str, inbound: Inbound) -> bool:
    """True when ``X-Twilio-Signature`` was made with ``secret`` (the account's auth token)."""
    signature = inbound.headers.get("X-Twilio-Signature", "")
    return bool(secret and signature and RequestValidator(secret).validate(inbound.url, dict(inbound.form), signature))
