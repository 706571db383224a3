"""Twilio's HTTP transport: the real SDK above, a urllib3 pool below, and a base URL for tests.

The SDK lets its transport be swapped (``Client(sid, token, http_client=...)``). Its own
``TwilioHttpClient`` goes through ``requests``, which prepares, hooks, merges environment settings
and wraps every request: about a quarter of a worker's CPU per message sent (bench/README.md).
``LoketHttpClient`` sends through urllib3 directly and does only what Twilio's API needs:

* a form body (a list value repeats its key, ``None`` is left out) or a JSON one, query parameters
  the same way, and HTTP Basic auth, as ``requests`` encodes them;
* the environment's proxy (``HTTPS_PROXY``, ``NO_PROXY``, ...) chosen by ``requests``' own rules,
  read once per origin, and its CA bundle (``REQUESTS_CA_BUNDLE``, else certifi's), verified;
* one timeout for connecting and one for reading;
* failures raised as ``requests``' exceptions, as before: a caller tells a connection never made
  (``ConnectTimeout``, or ``ConnectionError`` from a ``NewConnectionError``: safe to send again) from
  an answer never read (``ReadTimeout``, a reset: the message may have arrived).

It does not log requests (the SDK's client logs each one's parameters, phone numbers among them).

``BaseUrlHttpClient`` also sends every ``https://*.twilio.com`` request to another base URL: a
local fake in tests, a recording proxy. Path, query, body, headers and auth are untouched, so
everything above the socket is the real SDK.

    client = Client(sid, token, http_client=BaseUrlHttpClient("http://127.0.0.1:8080"))
"""

from __future__ import annotations

import json
import os
import re
import threading
from base64 import b64encode
from typing import Any, Iterable
from urllib.parse import unquote, urlencode, urlsplit, urlunsplit

import requests.exceptions
import urllib3
from requests import utils as requests_utils
from twilio.http import HttpClient
from twilio.http.http_client import _logger
from twilio.http.response import Response
from urllib3 import exceptions as u3

# https://api.twilio.com, https://messaging.twilio.com, https://api.sydney.au1.twilio.com ...
_TWILIO_ORIGIN = re.compile(r"^https://(?:[A-Za-z0-9-]+\.)*twilio\.com(?=[/?#]|$)", re.IGNORECASE)
_JSON_TYPES = ("application/json", "application/scim+json")
_BODY_METHODS = ("POST", "PUT", "PATCH")
_CHARSET = re.compile(r"charset=([\w.-]+)", re.IGNORECASE)


class LoketHttpClient(HttpClient):
    """The SDK's HTTP client on urllib3 pools: one per proxy, shared by every request of this client."""

    def __init__(self, timeout: float | None = None, pool_size: int | None = None) -> None:
        super().__init__(_logger, False, timeout)
        self.pool_size = pool_size or min(32, (os.cpu_count() or 1) + 4)
        self._lock = threading.Lock()
        self._proxy_for: dict[tuple[str, str], str] = {}  # (scheme, host) -> proxy URL, "" for none
        self._pools: dict[str, urllib3.PoolManager] = {}  # proxy URL -> its pool manager

    def request(self, method: str, url: str, params: dict | None = None, data: dict | None = None,
                headers: dict | None = None, auth: tuple[str, str] | None = None, timeout: float | None = None,
                allow_redirects: bool = False) -> Response:
        if timeout is None:
            timeout = self.timeout
        elif timeout <= 0:
            raise ValueError(timeout)
        method, headers = method.upper(), dict(headers or {})
        query = _encode(params)
        if query:
            url = f"{url}{'&' if '?' in url else '?'}{query}"
        body = b"" if method in _BODY_METHODS else None
        if data:
            if headers.get("Content-Type") in _JSON_TYPES:
                body = json.dumps(data).encode("utf-8")
            else:
                body = _encode(data).encode("ascii")
                headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        if auth is not None:
            headers["Authorization"] = "Basic " + b64encode(f"{auth[0]}:{auth[1]}".encode("latin-1")).decode()
        retries = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=30,
                                raise_on_redirect=False) if allow_redirects else False
        try:
            answer = self._pool(url).request(method, url, body=body, headers=headers, retries=retries,
                                             redirect=allow_redirects,
                                             timeout=urllib3.Timeout(connect=timeout, read=timeout))
        except u3.HTTPError as exc:
            raise _as_requests_error(exc) from exc
        found = _CHARSET.search(answer.headers.get("Content-Type", ""))
        text = answer.data.decode(found.group(1) if found else "utf-8", "replace")
        return Response(answer.status, text, answer.headers)

    def _pool(self, url: str) -> urllib3.PoolManager:
        parts = urlsplit(url)
        origin = (parts.scheme, parts.netloc)
        proxy = self._proxy_for.get(origin)
        if proxy is None:
            # requests' own rules (scheme or host keys, NO_PROXY), once per origin: the environment does
            # not change under a running worker, and reading it scans os.environ each time.
            proxy = requests_utils.select_proxy(url, requests_utils.get_environ_proxies(url)) or ""
            self._proxy_for[origin] = proxy
        pool = self._pools.get(proxy)
        if pool is None:
            with self._lock:
                pool = self._pools.get(proxy) or self._pools.setdefault(proxy, self._new_pool(proxy))
        return pool

    def _new_pool(self, proxy: str) -> urllib3.PoolManager:
        ca = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or requests_utils.DEFAULT_CA_BUNDLE_PATH
        options: dict[str, Any] = dict(maxsize=self.pool_size, cert_reqs="CERT_REQUIRED", ca_certs=ca)
        if not proxy:
            return urllib3.PoolManager(**options)
        parts = urlsplit(proxy if "://" in proxy else "http://" + proxy)
        if parts.scheme.startswith("socks"):
            from urllib3.contrib.socks import SOCKSProxyManager  # needs PySocks, as requests does
            return SOCKSProxyManager(proxy, **options)
        if parts.username is not None:
            options["proxy_headers"] = urllib3.make_headers(
                proxy_basic_auth=f"{unquote(parts.username)}:{unquote(parts.password or '')}")
            parts = parts._replace(netloc=parts.netloc.rpartition("@")[2])
        return urllib3.ProxyManager(urlunsplit(parts), **options)

    def close(self) -> None:
        """Close the pools' keep-alive sockets."""
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.clear()


def _encode(values: dict | None) -> str:
    """``values`` form-encoded as ``requests`` does: a list repeats its key, ``None`` is left out."""
    if not values:
        return ""
    pairs: list[tuple[str, Any]] = []
    for key, value in values.items():
        items: Iterable = [value] if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__") else value
        pairs += [(key, item) for item in items if item is not None]
    return urlencode(pairs)


def _as_requests_error(exc: u3.HTTPError) -> requests.exceptions.RequestException:
    """urllib3's error as ``requests``' adapter turns it (requests/adapters.py)."""
    cause = exc.reason if isinstance(exc, u3.MaxRetryError) and exc.reason is not None else exc
    if isinstance(cause, u3.ProxyError):
        return requests.exceptions.ProxyError(cause)
    if isinstance(cause, u3.SSLError):
        return requests.exceptions.SSLError(cause)
    if isinstance(cause, u3.ConnectTimeoutError) and not isinstance(cause, u3.NewConnectionError):
        return requests.exceptions.ConnectTimeout(cause)
    if isinstance(cause, u3.ReadTimeoutError):
        return requests.exceptions.ReadTimeout(cause)
    return requests.exceptions.ConnectionError(cause)  # refused, reset, closed pool, protocol


class BaseUrlHttpClient(LoketHttpClient):
    """``LoketHttpClient`` that redirects ``https://*.twilio.com`` to ``base_url``.

    ``base_url`` is an origin with an optional path prefix, e.g.
    ``http://127.0.0.1:5000`` or ``http://proxy:8080/twilio``; a trailing
    slash is ignored. URLs not on ``twilio.com`` (e.g. a media CDN) pass
    through unchanged. Call :meth:`close` (or use it as a context manager)
    when done: the pool holds sockets open otherwise.
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
