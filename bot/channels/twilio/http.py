"""A Twilio HTTP client that sends every request to another base URL.

``twilio.rest.Client`` has no base-URL setting: its resources build absolute
``https://api.twilio.com/...`` URLs (or ``https://<product>.twilio.com``, or
``https://api.<edge>.<region>.twilio.com`` with edge/region set). To run the
real SDK against a local fake (tests) or a recording proxy, we swap only the
transport: this subclass of the SDK's own ``TwilioHttpClient`` rewrites the
scheme+host of any ``*.twilio.com`` URL and keeps path, query, body, headers
and Basic auth untouched, so everything above the socket is the real SDK.

    client = Client(sid, token, http_client=BaseUrlHttpClient("http://127.0.0.1:8080"))
"""

from __future__ import annotations

import re
from typing import Any

from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

# https://api.twilio.com, https://messaging.twilio.com, https://api.sydney.au1.twilio.com ...
_TWILIO_ORIGIN = re.compile(r"^https://(?:[A-Za-z0-9-]+\.)*twilio\.com(?=[/?#]|$)", re.IGNORECASE)


class BaseUrlHttpClient(TwilioHttpClient):
    """``TwilioHttpClient`` that redirects ``https://*.twilio.com`` to ``base_url``.

    ``base_url`` is an origin with an optional path prefix, e.g.
    ``http://127.0.0.1:5000`` or ``http://proxy:8080/twilio``; a trailing
    slash is ignored. URLs not on ``twilio.com`` (e.g. a media CDN) pass
    through unchanged. Extra keyword arguments go to ``TwilioHttpClient``
    (``timeout``, ``max_retries``, ...).

    Call :meth:`close` (or use it as a context manager) when done: the
    pooled ``requests.Session`` holds sockets open otherwise.
    """

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def rewrite(self, url: str) -> str:
        """Return ``url`` with a ``https://*.twilio.com`` origin replaced."""
        return _TWILIO_ORIGIN.sub(lambda _m: self.base_url, url, count=1)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        return super().request(method, self.rewrite(url), *args, **kwargs)

    def close(self) -> None:
        """Close the pooled session (its keep-alive sockets)."""
        if self.session is not None:
            self.session.close()

    def __enter__(self) -> "BaseUrlHttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
