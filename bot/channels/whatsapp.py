"""WhatsApp through Twilio, the whole provider: verify, parse, render, send, fetch media, and its window.

WhatsApp refuses a free-form message more than 24 hours after the person's last one (Twilio error
63016); only an approved template may open the conversation again (``WINDOW``; workers/window.py applies
it). Inbound arrives on ``/webhooks/twilio``, routed by ``To`` to a channel instance, signed by that
instance's account; a ``MediaUrl`` is fetched with the same account's credentials and nobody else's.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Callable, Mapping

from bot.channels import clean
from bot.channels.base import Outgoing
from bot.channels.split import split_text
from bot.channels.twilio import form as twilio_form
from bot.channels.twilio import media as twilio_media
from bot.channels.twilio.sender import TwilioSender
from bot.channels.twilio.signature import verify  # noqa: F401  (the provider's verify)
from bot.exceptions import MediaRefused
from bot.settings import Settings
from bot.types import Location, Media, Message, Reply

BODY_LIMIT = twilio_form.BODY_LIMIT
CHANNEL = "whatsapp"
#: Free-form messages may go this long after the person's last message; after it, a template.
WINDOW: timedelta | None = timedelta(hours=24)
MAX_MEDIA = 10  # Twilio sends at most 10 attachments per message
URL_LIMIT = 2048


def parse_inbound(form: Mapping[str, str], received_at: datetime | None = None) -> Message:
    """Turn Twilio's inbound WhatsApp webhook parameters into a ``Message``.

    Raises ``clean.Unusable`` (a ValueError) when there is no usable sender or message id.
    """
    chat = twilio_form.sender(form, "whatsapp:")
    sid = twilio_form.message_id(form)
    body = clean.text(form.get("Body", ""), clean.TEXT_LIMIT)
    raw_count = clean.text(form.get("NumMedia", ""), 8).strip()
    num_media = min(int(raw_count), MAX_MEDIA) if raw_count.isascii() and raw_count.isdigit() else 0
    media = tuple(
        Media(ref=clean.text(form.get(f"MediaUrl{i}"), URL_LIMIT),
              content_type=clean.optional_text(form.get(f"MediaContentType{i}"), 100))
        for i in range(num_media) if form.get(f"MediaUrl{i}")
    )
    location = None
    latitude, longitude = clean.coordinate(form.get("Latitude"), 90), clean.coordinate(form.get("Longitude"), 180)
    if latitude is not None and longitude is not None:
        location = Location(latitude, longitude,
                            clean.optional_text(form.get("Label") or form.get("Address"), 500))
    if location is not None:
        kind = "location"
    elif media:
        types = {(m.content_type or "").split("/")[0] for m in media}
        kind = "video" if types == {"video"} else "voice" if types == {"audio"} else "media"
    elif "Body" in form or form.get("ButtonPayload"):
        kind = "text"  # possibly blank: the flow answers a blank text with a clear request
        body = body or clean.text(form.get("ButtonPayload", ""), clean.TEXT_LIMIT)
    else:
        kind = "unsupported"
    return Message(
        channel=CHANNEL, chat_id=chat, sender_id=chat, kind=kind, text=body, media=media,
        location=location, sender_name=clean.optional_text(form.get("ProfileName"), clean.NAME_LIMIT),
        received_at=received_at or datetime.now(timezone.utc), platform_id=sid,
    )


parse = parse_inbound


def render(reply: Reply) -> list[str]:
    """Bodies to send, options as a numbered list, each within Twilio's 1,600-character limit."""
    return split_text(twilio_form.with_numbered_options(reply), BODY_LIMIT)


class Sender(TwilioSender):
    """WhatsApp's parts: bodies from ``render``, a caption with a picture or file, or a template."""

    channel = CHANNEL

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        to, callback = f"whatsapp:{chat_id}", self.callback_url()
        if out.template is not None:
            sid, variables = out.template
            return [dict(to=to, content_sid=sid, content_variables=json.dumps(variables), status_callback=callback)]
        if out.image_url or out.document_url:  # the reply's text is the picture's (or file's) caption
            return [dict(to=to, body=out.reply.text[:BODY_LIMIT], media_url=[out.image_url or out.document_url],
                         status_callback=callback)]
        return [dict(to=to, body=body, status_callback=callback) for body in render(out.reply)]


def fetch_media(media: Media, sender: TwilioSender | None, settings: Settings, limit: int,
                too_big: Callable[[int], MediaRefused]) -> bytes:
    """The attachment's bytes, fetched with the account of the number it came to."""
    return twilio_media.download(media.ref, settings, limit, too_big, auth=sender.auth if sender else None)


def instance_problems(entry) -> list[tuple[str, str]]:
    """(field, reason) for a ``channels.yaml`` entry of this provider: its number, written ``whatsapp:+62…``."""
    return twilio_form.number_problems(CHANNEL, entry.address)
