"""Twilio's webhook signature: HMAC-SHA1 over the URL Twilio called and every form parameter."""
from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
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
    key = secret.encode()
    for url in _url_forms(inbound.url):
        digest = hmac.new(key, (url + params).encode("utf-8"), hashlib.sha1).digest()
        # Bytes, so a forged header with characters outside ASCII compares unequal instead of raising.
        if hmac.compare_digest(base64.b64encode(digest), signature.encode("utf-8", "surrogateescape")):
            return True
    return False


@lru_cache(maxsize=256)
def _url_forms(url: str) -> tuple[str, str]:
    """The URL without and with its port. A deployment's webhooks are a handful of URLs, asked for at
    every request; a query string makes a URL new, and the cache's bound keeps those from piling up."""
    parsed = urlparse(url)
    return remove_port(parsed), add_port(parsed)
