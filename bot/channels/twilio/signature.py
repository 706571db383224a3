"""Twilio's webhook signature: HMAC-SHA1 over the URL Twilio called and every form parameter."""
from __future__ import annotations

from urllib.parse import urlparse

from twilio.request_validator import RequestValidator, add_port, compare, remove_port

from bot.channels.base import Inbound


def verify(secret: str, inbound: Inbound) -> bool:
    """True when ``X-Twilio-Signature`` was made with ``secret`` (the account's auth token).

    As the SDK's ``RequestValidator.validate`` for a form body: the signature may be over the URL with
    or without its port. The SDK computes both every time; the usual one (as configured, without a
    port) is tried first and the second only when it does not match.
    """
    signature = inbound.headers.get("X-Twilio-Signature", "")
    if not (secret and signature):
        return False
    validator, params, parsed = RequestValidator(secret), dict(inbound.form), urlparse(inbound.url)
    return any(compare(validator.compute_signature(url, params), signature)
               for url in (remove_port(parsed), add_port(parsed)))
