"""SMS through Twilio, the whole provider: verify, parse, render, send, media (none), its window (none).

The same ``/webhooks/twilio`` form as WhatsApp, with plain E.164 ``From``/``To`` and no ``ProfileName`` or
``WaId``; signatures, ids and numbered options are Twilio's shared parts (``twilio_form``). An SMS shows
no Markdown and has no buttons, so ``*bold*`` loses its asterisks and options are typed numbers. Twilio
concatenates segments up to 1,600 characters, so a body is split there as on WhatsApp. SMS has no
messaging window (``WINDOW = None``). MMS does not run in Indonesia: a message with media is
``kind="mms"`` and the flow answers that only text arrives by SMS, so there is never media to fetch.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from bot.channels import clean
from bot.channels.base import Outgoing
from bot.channels.split import split_text
from bot.channels.twilio import form as twilio_form
from bot.channels.twilio.sender import TwilioSender
from bot.channels.twilio.signature import verify  # noqa: F401  (the provider's verify)
from bot.exceptions import MediaRefused
from bot.settings import Settings
from bot.types import Media, Message, Reply

BODY_LIMIT = twilio_form.BODY_LIMIT
CHANNEL = "sms"
WINDOW: timedelta | None = None  # an SMS may go at any time
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


parse = parse_inbound


def plain(text: str) -> str:
    """WhatsApp-style ``*bold*`` without its asterisks: an SMS shows them as they are."""
    return _BOLD.sub(r"\1", text)


def render(reply: Reply) -> list[str]:
    """Plain-text bodies, options as a numbered list, each within Twilio's 1,600-character limit."""
    return split_text(plain(twilio_form.with_numbered_options(reply)), BODY_LIMIT)


class Sender(TwilioSender):
    """SMS through Twilio: the same account, retries and look-ups, from the instance's plain number.

    Plain-text bodies only: no templates (SMS has no window) and no pictures or files (MMS does not run
    in Indonesia), so a reply that comes with one goes as its text alone.
    """

    channel = CHANNEL

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        callback = self.callback_url()
        return [dict(to=chat_id, body=body, status_callback=callback) for body in render(out.reply)]


def fetch_media(media: Media, sender, settings: Settings, limit: int, too_big: Callable[[int], MediaRefused]) -> bytes:
    """Never called with media (an SMS carries none); refused should it ever be."""
    raise MediaRefused("download")


def instance_problems(entry) -> list[tuple[str, str]]:
    """(field, reason) for a ``channels.yaml`` entry of this provider: its plain E.164 number."""
    return twilio_form.number_problems(CHANNEL, entry.address)
