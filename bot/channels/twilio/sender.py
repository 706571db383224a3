"""Sending through Twilio's Messages API, for WhatsApp and SMS alike: retries, rate limit, and look-ups.

A send whose answer never came (a read timeout) may still have reached Twilio, so before sending it
again the sender asks Twilio's message list; only a connection that was never made is retried blind.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import requests
from redis import Redis
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from bot.channels import base
from bot.channels.twilio.http import BaseUrlHttpClient, LoketHttpClient
from bot.exceptions import OutsideWindow, SendFailed, SendUncertain
from bot.ops import ratelimit
from bot.settings import Settings

# Twilio retries its status callback on a failed or timed-out connection (connection overrides).
CALLBACK_RETRY = "#rc=3&rp=all"


class TwilioSender(base.Sender):
    """The settings' own account and number, or a channel instance's; subclasses say what a part is."""

    looks_up = True

    def __init__(self, settings: Settings, redis: Redis, *, from_address: str | None = None,
                 account_sid: str | None = None, auth_token: str | None = None):
        super().__init__(settings, redis)
        self.from_address = from_address or self.default_from(settings)
        self.auth = (account_sid or settings.twilio_account_sid, auth_token or settings.twilio_auth_token)
        # Always a timeout: the SDK's default client has none, and a hung connection would hold the job.
        timeout = settings.send_timeout_seconds
        # One kept connection per turn thread (and the job's own): a smaller pool closes the extra
        # connections after each send, and every send after that pays a new TCP and TLS handshake.
        keep = settings.worker_threads + 1
        http = (BaseUrlHttpClient(settings.twilio_api_base_url, timeout=timeout, pool_size=keep)
                if settings.twilio_api_base_url else LoketHttpClient(timeout=timeout, pool_size=keep))
        self.client = Client(*self.auth, http_client=http)

    @staticmethod
    def default_from(settings: Settings) -> str:
        return settings.twilio_whatsapp_from

    def callback_url(self) -> str:
        return f"{self.settings.public_base_url}/webhooks/twilio/status{CALLBACK_RETRY}"

    def _create(self, **params) -> str:
        started = datetime.now(timezone.utc)
        for delay in (*base.RETRY_DELAYS, None):
            # Per sender, as Twilio counts: each agency's number has its own throughput.
            ratelimit.wait_for_global(self.redis, f"twilio:{self.from_address}", self.settings.twilio_sender_mps)
            try:
                return self.client.messages.create(from_=self.from_address, **params).sid
            except TwilioRestException as exc:
                if exc.code == 63016:
                    raise OutsideWindow(self.channel, "outside the 24-hour window", 63016) from exc
                if exc.code == 21610:
                    raise SendFailed(self.channel, "recipient opted out", 21610, permanent=True) from exc
                retryable = exc.status in (429, 500, 502, 503, 504) or exc.code == 63018
                if not retryable or delay is None:
                    raise SendFailed(self.channel, "refused by Twilio", exc.code or exc.status,
                                     permanent=not retryable) from exc
            except OSError as exc:  # requests' errors: connection refused, reset, timed out
                if not _never_sent(exc):
                    # The request may have reached Twilio (a slow answer past our read timeout):
                    # ask Twilio before sending it again, or the citizen gets it twice.
                    found = self._settle(params, started)
                    if found:
                        return found
                    if delay is None:
                        raise SendUncertain(self.channel, f"no answer ({type(exc).__name__})") from exc
                elif delay is None:
                    raise SendFailed(self.channel, f"network error {type(exc).__name__}") from exc
            time.sleep(delay)
        raise SendFailed(self.channel, "retries exhausted")

    def _settle(self, params: dict, since: datetime) -> str | None:
        """Wait up to two read timeouts for a message that may have arrived to show in Twilio's list."""
        deadline = time.monotonic() + 2 * self.settings.send_timeout_seconds
        while True:
            try:
                found = self.find_sent("", params, since)
            except (TwilioRestException, OSError):
                found = []
            if found or time.monotonic() >= deadline:
                return found[0] if found else None
            time.sleep(min(0.5, self.settings.send_timeout_seconds / 2))

    def find_sent(self, chat_id: str, part: dict, since: datetime) -> list[str]:
        if "body" not in part:
            return []  # an approved template: Twilio keeps the rendered text, not ours; it goes again
        floor = since - timedelta(seconds=2)  # Twilio's timestamps are whole seconds
        return [m.sid for m in self.client.messages.list(to=part["to"], limit=100)
                if m.body == part["body"] and m.date_created is not None and m.date_created >= floor
                and (m.status or "") not in ("failed", "undelivered", "canceled")]

    def _send_part(self, chat_id: str, part: dict) -> str:
        return self._create(**part)


def _never_sent(exc: OSError) -> bool:
    """True when the request cannot have reached Twilio (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return isinstance(exc, requests.exceptions.ConnectionError) and "NewConnectionError" in repr(exc.args)
