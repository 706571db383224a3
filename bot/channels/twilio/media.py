"""Download a Twilio ``MediaUrl`` without handing the account's credentials to anyone else.

``MediaUrl`` comes from the webhook payload: whoever can get a signed payload
to us (or a bug) chooses it. So:

- the first URL must be Twilio's API origin (``https://api.twilio.com``, or
  the origin of ``TWILIO_API_BASE_URL`` when that names a proxy or a test
  fake) or one of ``TWILIO_MEDIA_HOSTS``; the Basic credentials go only to
  the API origin;
- redirects are followed by hand, at most three, only to those hosts, and
  never with the credentials (Twilio redirects to its CDN with a signed URL);
- a host that resolves to a private, loopback, link-local or otherwise
  non-public address is refused, unless it is the origin an operator named
  in ``TWILIO_API_BASE_URL`` (the check is never switched off by a flag).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urljoin, urlsplit

import requests

from bot.exceptions import MediaRefused
from bot.settings import Settings

MAX_REDIRECTS = 3
REDIRECTS = (301, 302, 303, 307, 308)


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # a port that is not a number, an unbalanced IPv6 bracket
        return None
    if parts.username is not None or parts.password is not None or not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


def api_origin(settings: Settings) -> tuple[str, str, int]:
    """The origin that may receive the Twilio credentials."""
    return _origin(settings.twilio_api_base_url or "https://api.twilio.com") or ("https", "api.twilio.com", 443)


def _named(host: str, patterns: tuple[str, ...]) -> bool:
    return any(host == p or (p.startswith("*.") and host.endswith(p[1:])) for p in patterns)


def _public(host: str, port: int) -> bool:
    """True when every address ``host`` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global or address.is_multicast:
            return False
    return bool(infos)


def allowed(url: str, settings: Settings) -> bool:
    """May Loket fetch ``url`` at all (without credentials unless it is the API origin)?"""
    origin = _origin(url)
    if origin is None:
        return False
    if origin == api_origin(settings):
        return True  # the operator named it (or it is Twilio's own API)
    scheme, host, port = origin
    return scheme == "https" and _named(host, settings.twilio_media_hosts) and _public(host, port)


def download(url: str, settings: Settings, limit: int, too_big, auth: tuple[str, str] | None = None) -> bytes:
    """The bytes at ``url`` (at most ``limit``); ``MediaRefused("download")`` for any host or hop not allowed.

    ``too_big(size)`` builds the error for a file over ``limit``. ``auth`` is the account of the number
    the message came to (a channel instance may have its own); the settings' account without one.
    """
    auth = auth or (settings.twilio_account_sid, settings.twilio_auth_token)
    for _hop in range(MAX_REDIRECTS + 1):
        if not allowed(url, settings):
            raise MediaRefused("download")
        credentials = auth if _origin(url) == api_origin(settings) and _hop == 0 else None
        try:
            with requests.get(url, auth=credentials, stream=True, timeout=(5, 30), allow_redirects=False) as resp:
                if resp.status_code in REDIRECTS and resp.headers.get("Location"):
                    url = urljoin(url, resp.headers["Location"])
                    continue
                if resp.status_code != 200:
                    raise MediaRefused("download")
                return _read(resp, limit, too_big)
        except requests.RequestException as exc:
            raise MediaRefused("download") from exc
    raise MediaRefused("download")


def _read(resp: requests.Response, limit: int, too_big) -> bytes:
    try:
        declared = int(resp.headers.get("Content-Length") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        raise too_big(declared)
    data = bytearray()
    for chunk in resp.iter_content(64 * 1024):
        data += chunk
        if len(data) > limit:
            raise too_big(max(declared, len(data)))
    return bytes(data)
