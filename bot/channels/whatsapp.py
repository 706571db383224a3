"""WhatsApp through Twilio: inbound form -> ``Message``; ``Reply`` -> message bodies.

Pure functions only; the sender lives in ``workers/senders.py``.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Mapping

from bot.phone import to_e164
from bot.channels.split import split_text
from flows.types import Location, Media, Message, Reply

BODY_LIMIT = 1600
CHANNEL = "whatsapp"


def parse_inbound(form: Mapping[str, str], received_at: datetime | None = None) -> Message:
    """Turn Twilio's inbound WhatsApp webhook parameters into a ``Message``."""
    raw_from = form.get("From", "")
    chat = to_e164(raw_from.removeprefix("whatsapp:"))
    body = form.get("Body", "") or ""
    try:
        num_media = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        num_media = 0
    media = tuple(
        Media(ref=form.get(f"MediaUrl{i}", ""), content_type=form.get(f"MediaContentType{i}"))
        for i in range(num_media) if form.get(f"MediaUrl{i}")
    )
    location = None
    if form.get("Latitude") and form.get("Longitude"):
        try:
            location = Location(float(form["Latitude"]), float(form["Longitude"]),
                                form.get("Label") or form.get("Address") or None)
        except ValueError:
            location = None
    if location is not None:
        kind = "location"
    elif media:
        types = {(m.content_type or "").split("/")[0] for m in media}
        kind = "video" if types == {"video"} else "voice" if types == {"audio"} else "media"
    elif "Body" in form or form.get("ButtonPayload"):
        kind = "text"  # possibly blank: the flow answers a blank text with a clear request
        body = body or form.get("ButtonPayload", "")
    else:
        kind = "unsupported"
    return Message(
        channel=CHANNEL, chat_id=chat, sender_id=chat, kind=kind, text=body, media=media,
        location=location, sender_name=form.get("ProfileName") or None,
        received_at=received_at or datetime.now(timezone.utc), platform_id=form.get("MessageSid", ""),
    )


def render(reply: Reply) -> list[str]:
    """Bodies to send, options as a numbered list, each within Twilio's 1,600-character limit."""
    text = reply.text
    typeable = [o for o in reply.options if not o.key.startswith("o:")]  # officer buttons are Telegram-only
    if typeable:
        lines = [f"{o.key}. {o.label}" for o in typeable]
        text = f"{text}\n\n" + "\n".join(lines)
    return split_text(text, BODY_LIMIT)
