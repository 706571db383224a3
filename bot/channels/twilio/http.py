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

from urllib.parse import urlsplit

from requests import Session
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

# https://api.twilio.com, https://messaging.twilio.com, https://api.sydney.au1.twilio.com ...
_TWILIO_ORIGIN = re.compile(r"^https://(?:[A-Za-z0-9-]+\.)*twilio\.com(?=[/?#]|$)", re.IGNORECASE)


class _EnvironmentOnceSession(Session):
    """A ``requests.Session`` that reads the environment's proxy and CA settings once per origin.

    ``requests`` looks them up again for every request (a scan of ``os.environ``, and of ``no_proxy``),
    which was a tenth of the SDK's cost per message sent; the environment does not change under a
    running worker, so the answer for an origin is kept.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[tuple, dict] = {}

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc, tuple(sorted((proxies or {}).items())), stream, verify, cert)
        if key not in self._environment:
            self._environment[key] = super().merge_environment_settings(url, proxies, stream, verify, cert)
        return dict(self._environment[key])


class LoketHttpClient(TwilioHttpClient):
    """The SDK's ``TwilioHttpClient`` on a session that reads the environment once per origin."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.session is not None:
            adapters, self.session = self.session.adapters, _EnvironmentOnceSession()
            self.session.adapters = adapters

    def close(self) -> None:
        """Close the pooled session (its keep-alive sockets)."""
        if self.session is not None:
            self.session.close()


class BaseUrlHttpClient(LoketHttpClient):
    """``LoketHttpClient`` that redirects ``https://*.twilio.com`` to ``base_url``.

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

    def __enter__(self) -> "BaseUrlHttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
