"""Telegram, the whole provider: verify, parse, render, send, fetch media; no messaging window.

Each bot is a channel instance with its own webhook path (``/webhooks/telegram/<id>``) and its own
secret token, which Telegram sends back in ``X-Telegram-Bot-Api-Secret-Token`` on every update.
"""
from __future__ import annotations

import hmac
from datetime import timedelta

from bot.channels.base import Inbound
from bot.channels.telegram.media import fetch_media
from bot.channels.telegram.parse import CHANNEL, parse_update
from bot.channels.telegram.render import CAPTION_LIMIT, TEXT_LIMIT, render, to_html
from bot.channels.telegram.send import Sender

WINDOW: timedelta | None = None  # a bot may write to a chat that started it at any time
parse = parse_update

__all__ = ["CAPTION_LIMIT", "CHANNEL", "Sender", "TEXT_LIMIT", "WINDOW", "fetch_media", "instance_problems", "parse",
           "parse_update", "render", "to_html", "verify"]


def verify(secret: str, inbound: Inbound) -> bool:
    """True when the update carries the bot's own secret token (compared in constant time)."""
    given = inbound.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    return bool(secret) and hmac.compare_digest(given.encode(), secret.encode())


def instance_problems(entry) -> list[tuple[str, str]]:
    """(field, reason) for a ``channels.yaml`` entry of this provider: no address, its token and secret named."""
    found = [("address", "a telegram instance has no address (its webhook is /webhooks/telegram/<id>)")
             ] if entry.address else []
    return found + [(name, "a telegram instance needs this (the name of a setting)")
                    for name in ("token_env", "secret_env") if not getattr(entry, name)]
