"""Twilio's webhook signature: HMAC-SHA1 over the URL Twilio called and every form parameter."""
from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import urlparse

from twilio.request_validator import add_port, remove_port

from bot.channels.base import Inbound


def verify(secret: str, inbound: Inbound) -> bool:
    """True when ``X-Twilio-Signature`` was made with ``secret`` (the account's auth token).

    Decides as the SDK's ``RequestValidator.validate`` does for a form body (tests hold the two to the
    same answers): HMAC-SHA1 over the URL and each parameter's name and value, sorted, with or without
    the URL's port. The SDK computes both forms every time and looks each parameter up through two
    failed attribute look-ups; here the usual form (as configured, without a port) goes first.
    """
    signature = inbound.headers.get("X-Twilio-Signature", "")
    if not (secret and signature):
        return False
    params = "".join(name + str(inbound.form[name]) for name in sorted(inbound.form))
    key, parsed = secret.encode(), urlparse(inbound.url)
    for url in (remove_port(parsed), add_port(parsed)):
        digest = hmac.new(key, (url + params).encode("utf-8"), hashlib.sha1).digest()
        # Bytes, so a forged header with characters outside ASCII compares unequal instead of raising.
        if hmac.compare_digest(base64.b64encode(digest), signature.encode("utf-8", "surrogateescape")):
            return True
    return False
