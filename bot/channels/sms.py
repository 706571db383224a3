"""SMS through Twilio: inbound form -> ``Message``; ``Reply`` -> plain-text bodies; its window policy.

The same ``/webhooks/twilio`` form as WhatsApp, with plain E.164 ``From``/``To`` and no ``ProfileName`` or
``WaId``; signatures, ids and numbered options are Twilio's shared parts (``twilio_form``). An SMS shows
no Markdown and has no buttons, so ``*bold*`` loses its asterisks and options are typed numbers. Twilio
concatenates segments up to 1,600 characters, so a body is split there as on WhatsApp. SMS has no
messaging window (workers/window.py says so with the other providers'). MMS does not run in Indonesia: a message with media is ``kind="mms"`` and the flow
answers that only text arrives by SMS. The sender lives in ``workers/senders.py`` (``SmsSender``).
"""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Mapping

from bot.channels import clean, twilio_form
from bot.channels.split import split_text
from bot.types import Message, Reply

BODY_LIMIT = twilio_form.BODY_LIMIT
CHANNEL = "sms"
_BOLD = re.compile(r"\*([^*\n]+)\*")


def parse_inbound(form: Mapping[str, str], received_at: datetime | None = None) -> Message:
    """Turn Twilio's inbound SMS webhook parameters into a ``Message``.

    Raises ``clean.Unusable`` (a ValueError) when there is no usable sender or message id.
    """
    chat = twilio_form.sender(form)
    sid = twilio_form.message_id(form)
    raw_count = clean.text(form.get("NumMedia", ""), 8).strip()
    has_media = raw_count.isascii() and raw_count.isdigit() and int(raw_count) > 0
    kind = "mms" if has_media else "text"  # a blank SMS is a blank text: the flow asks for words
    return Message(
        channel=CHANNEL, chat_id=chat, sender_id=chat, kind=kind,
        text="" if has_media else clean.text(form.get("Body", ""), clean.TEXT_LIMIT),
        received_at=received_at or datetime.now(timezone.utc), platform_id=sid,
    )


def plain(text: str) -> str:
    """WhatsApp-style ``*bold*`` without its asterisks: an SMS shows them as they are."""
    return _BOLD.sub(r"\1", text)


def render(reply: Reply) -> list[str]:
    """Plain-text bodies, options as a numbered list, each within Twilio's 1,600-character limit."""
    return split_text(plain(twilio_form.with_numbered_options(reply)), BODY_LIMIT)
