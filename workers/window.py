"""WhatsApp's 24-hour window, decided in one place: free-form inside it, the approved template outside.

WhatsApp refuses a free-form message more than 24 hours after the person's
last message (Twilio error 63016); only an approved template may open the
conversation again. SMS, Telegram and the simulator have none: each provider's
module says so in its ``WINDOW`` (bot/channels/providers.py), and this is the one place that applies it. Every message
Loket starts itself (an officer's reply relayed to a citizen, a notice to an
officer, a survey invitation) goes through ``deliver``: the template is
chosen up front when the window is known to be closed, and is the fallback
when Twilio refuses a free-form message it thought would pass.
"""
from __future__ import annotations

from datetime import datetime

from bot.channels.providers import window
from bot.exceptions import OutsideWindow
from bot.store.models import utcnow
from bot.types import Reply
from workers.delivery import provider, send_one
from workers.runtime import Runtime
from bot.channels.base import Outgoing

TEMPLATE_TEXT_LIMIT = 900


def has_window(provider: str) -> bool:
    """Whether the provider refuses free-form messages some time after the person's last (WhatsApp only)."""
    return window(provider) is not None


def window_open(channel: str, last_inbound_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether a free-form message may go now: always without a window (SMS, Telegram); else within it."""
    if not has_window(channel):
        return True
    return last_inbound_at is not None and (now or utcnow()) - last_inbound_at < window(channel)


def template(rt: Runtime, name: str, values: dict[str, str], agency_id: str | None = None) -> tuple[str, dict] | None:
    """The pack's approved template ``name`` (Twilio Content API) filled with ``values``; None if it has none.

    WhatsApp refuses template variables with line breaks, so each value is flattened to one line.
    """
    spec = rt.pack_for(agency_id).agency.templates.get(name)
    if spec is None:
        return None
    flat = {k: " ".join(str(v).split())[:TEMPLATE_TEXT_LIMIT] for k, v in values.items()}
    return spec.content_sid, {str(i): flat.get(var, "") for i, var in enumerate(spec.variables, 1)}


def deliver(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None, reply: Reply, key: str,
            fallback: tuple[str, dict] | None, *, known_closed: bool = False, meta: dict | None = None) -> str:
    """Send ``reply``, or the template ``fallback`` where WhatsApp wants one; return "free", "template" or "failed".

    ``known_closed``: the window is known to be shut (``window_open`` said so), so the template goes
    at once. Otherwise the free-form message is tried and the template follows a 63016 refusal.
    The template has its own outbox key, so a re-run sends each once.
    """
    fallback = fallback if has_window(provider(rt, channel)) else None
    if known_closed and fallback is not None:
        send_one(rt, channel, chat_id, conversation_id, Outgoing(reply, template=fallback), f"{key}:template")
        return "template"
    try:
        ok = send_one(rt, channel, chat_id, conversation_id, Outgoing(reply, meta=meta), key)
        return "free" if ok else "failed"
    except OutsideWindow:
        if fallback is None:
            return "failed"
        send_one(rt, channel, chat_id, conversation_id, Outgoing(reply, template=fallback), f"{key}:template")
        return "template"
