"""What every provider module (bot/channels/providers.py) is built from: the inbound request it checks,
the outgoing reply it renders, and the sender base whose ``send`` wraps the provider's call with timing,
metrics and one exception type (as GOV.UK Notify's ``SmsClient`` does).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Mapping

from redis import Redis

from bot.exceptions import SendFailed
from bot.ops import metrics
from bot.settings import Settings
from bot.types import Reply

log = logging.getLogger("loket.send")
# Seconds between attempts: len(RETRY_DELAYS) retries after the first try. Read at each send (as
# ``base.RETRY_DELAYS``), so tests make it tiny with ``monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", ...)``.
RETRY_DELAYS = (1, 2, 4)


@dataclass(frozen=True)
class Inbound:
    """A webhook request as a provider's ``verify`` sees it: the public URL called, headers, form fields."""

    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Outgoing:
    """One reply, ready for a channel: the reply, and a picture to go with it if any."""

    reply: Reply
    image_png: bytes | None = None
    image_url: str | None = None
    template: tuple[str, dict] | None = None  # WhatsApp content SID + variables if outside the window
    document: tuple[str, bytes] | None = None  # (file name, bytes) of a file to upload (Telegram)
    document_url: str | None = None  # a signed link the platform fetches the file from (Twilio)
    meta: dict | None = None  # kept with the outbound record, e.g. the ticket a relay belongs to


class Sender:
    """One channel's sending. A reply goes out as ``parts`` (one provider call each), so the outbox
    (``workers.delivery``) can claim and record each part, and after a crash or a timeout ask the
    platform what arrived (``find_sent``) instead of sending it again."""

    channel = "?"
    looks_up = False  # can find_sent tell what the platform took?

    def __init__(self, settings: Settings, redis: Redis):
        self.settings, self.redis = settings, redis

    def send(self, chat_id: str, out: Outgoing) -> list[str]:
        """Send every part and return the platform's message ids; raise ``SendFailed`` after retries."""
        return [self.send_part(chat_id, part) for part in self.parts(chat_id, out)]

    def send_part(self, chat_id: str, part: dict) -> str:
        """Send one part; return its platform id. ``SendUncertain`` when it may have arrived."""
        started = time.monotonic()
        try:
            platform_id = self._send_part(chat_id, part)
        except SendFailed:
            metrics.incr(self.redis, "send_failures_total", channel=self.channel)
            raise
        metrics.incr(self.redis, "messages_sent_total", channel=self.channel)
        log.info("sent a message in %.3fs", time.monotonic() - started, extra={"channel": self.channel})
        return platform_id

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        """The provider calls that deliver ``out``, in order (no network)."""
        raise NotImplementedError

    def _send_part(self, chat_id: str, part: dict) -> str:
        raise NotImplementedError

    def find_sent(self, chat_id: str, part: dict, since: datetime) -> list[str]:
        """Ids of messages matching ``part`` that the platform accepted since ``since``; [] when it cannot tell."""
        return []

    def acknowledge(self, token: str) -> None:
        """Stop a button's spinner (Telegram); nothing elsewhere."""
