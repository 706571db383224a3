"""WhatsApp through Twilio: inbound form -> ``Message``; ``Reply`` -> message bodies.

Pure functions only; the sender lives in ``workers/senders.py``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping

from bot.channels import clean, twilio_form
from bot.channels.split import split_text
from bot.types import Location, Media, Message, Reply

BODY_LIMIT = twilio_form.BODY_LIMIT
CHANNEL = "whatsapp"
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


def render(reply: Reply) -> list[str]:
    """Bodies to send, options as a numbered list, each within Twilio's 1,600-character limit."""
    return split_text(twilio_form.with_numbered_options(reply), BODY_LIMIT)
