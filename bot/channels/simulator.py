"""The browser simulator as a provider: replies go to a Redis list the page reads; no window, no media.

Its inbound side is the simulator's own page (webhooks/simulator.py), enabled only by ``LOKET_SIMULATOR``.
"""
from __future__ import annotations

import json
import re
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

from bot.channels import base, clean
from bot.exceptions import MediaRefused
from bot.settings import Settings
from bot.types import Media, Message, Reply

SESSION = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_TEXT = 4000

CHANNEL = "simulator"
WINDOW: timedelta | None = None


def verify(secret: str, inbound: base.Inbound) -> bool:
    """Always: no platform signs the page's requests; the page exists only where ``LOKET_SIMULATOR`` is on."""
    return True


def parse(data: dict, received_at: datetime | None = None) -> Message:
    """The page's ``{"session", "text"}`` or ``{"session", "callback"}``; ``clean.Unusable`` otherwise."""
    session = str(data.get("session", ""))
    if not SESSION.match(session):
        raise clean.Unusable("session must be 8-64 letters, digits, - or _")
    text, callback = str(data.get("text", ""))[:MAX_TEXT], data.get("callback")
    if not text.strip() and not callback:
        raise clean.Unusable("empty message")
    return Message(channel=CHANNEL, chat_id=session, sender_id=session, kind="callback" if callback else "text",
                   text="" if callback else text, callback_data=str(callback)[:64] if callback else None,
                   received_at=received_at or datetime.now(timezone.utc), platform_id=uuid.uuid4().hex)


def render(reply: Reply) -> list[dict]:
    """One entry: the text and the buttons as the page draws them."""
    return [{"text": reply.text, "options": [[o.key, o.label] for o in reply.options], "token": reply.menu_token}]


class Sender(base.Sender):
    """Each part is one entry of the chat's list (``loket:sim:<chat>``), kept a day.

    In the demo it also stands in for channel instances that have no credentials (``instance``): the
    page then shows that number's or bot's chats (``loket:sim:<instance>:<chat>``), officers' groups too.
    """

    channel = CHANNEL

    def __init__(self, settings: Settings, redis, *, instance: str | None = None):
        super().__init__(settings, redis)
        self.instance = instance

    @staticmethod
    def list_key(instance: str | None, chat_id: str) -> str:
        """The Redis list holding what went to ``chat_id`` (through ``instance``, when one is played)."""
        return f"loket:sim:{instance}:{chat_id}" if instance else f"loket:sim:{chat_id}"

    def parts(self, chat_id: str, out: base.Outgoing) -> list[dict]:
        return [{**render(out.reply)[0], "image": out.image_url, "document": out.document_url}]

    def _send_part(self, chat_id: str, part: dict) -> str:
        key = self.list_key(self.instance, chat_id)
        entry = {**part, "at": time.time()}
        n = self.redis.rpush(key, json.dumps(entry, ensure_ascii=False))
        self.redis.expire(key, 24 * 3600)
        return f"sim-{n}"


def fetch_media(media: Media, sender, settings: Settings, limit: int, too_big: Callable[[int], MediaRefused]) -> bytes:
    """The page sends no files."""
    raise MediaRefused("download")


def instance_problems(entry) -> list[tuple[str, str]]:
    """The simulator is never an entry of ``channels.yaml``: the page plays the entries that exist."""
    return [("provider", "the simulator is not a channel instance; it plays the instances listed here")]
