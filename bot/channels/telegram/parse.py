"""Telegram's update JSON -> ``Message``, read with python-telegram-bot's own ``Update.de_json`` so every
field Telegram sends is read the way the library reads it."""
from __future__ import annotations

from datetime import datetime, timezone

from telegram import Update

from bot.channels import clean
from bot.types import Location, Media, Message

CAPTION_LIMIT = 1024
CHANNEL = "telegram"


def parse_update(data: dict, received_at: datetime | None = None) -> Message | None:
    """The ``Message`` in a Telegram update, or None for updates the bot ignores.

    Ignored on purpose: edited messages (the original was already answered),
    channel posts, membership changes and polls. Raises ``clean.Unusable`` (a
    ValueError) for an update without a usable id or chat.
    """
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int):  # Telegram's ids are integers; anything else is not from Telegram
        raise clean.Unusable("malformed update id")
    pid = clean.platform_id(update_id)
    try:
        update = Update.de_json(data, bot=None)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as exc:
        # de_json trusts the JSON's shape; a field of the wrong type surfaces as any of these.
        raise clean.Unusable(f"malformed update ({type(exc).__name__})") from None
    if update is None:
        return None
    at = received_at or datetime.now(timezone.utc)
    if update.callback_query is not None:
        cq = update.callback_query
        chat = cq.message.chat if cq.message is not None else None
        user = _user(cq.from_user)
        return Message(channel=CHANNEL, chat_id=clean.chat_id(chat.id) if chat else user[0], sender_id=user[0],
                       kind="callback", callback_data=clean.text(cq.data, 64), sender_name=user[1],
                       received_at=at, platform_id=pid, group=bool(chat and chat.type != "private"),
                       text="", media=(), location=None, ack_token=clean.text(cq.id, 64))
    msg = update.message
    if msg is None:
        return None
    if msg.chat is None:
        raise clean.Unusable("message without a chat")
    chat_id = clean.chat_id(msg.chat.id)
    sender_id, sender_name = _user(msg.from_user) if msg.from_user else (chat_id, None)
    base = dict(channel=CHANNEL, chat_id=chat_id, sender_id=sender_id, sender_name=sender_name, received_at=at,
                platform_id=pid, group=msg.chat.type != "private")
    if msg.text is not None:
        return Message(kind="text", text=clean.text(msg.text, clean.TEXT_LIMIT), **base)
    caption = clean.text(msg.caption or "", CAPTION_LIMIT)
    if msg.photo:
        biggest = max(msg.photo, key=lambda p: (_size(p.file_size), _size(p.width) * _size(p.height)))
        return Message(kind="media", text=caption, media=(Media(ref=_file_id(biggest), content_type="image/jpeg",
                                                               size=_size(biggest.file_size) or None),), **base)
    if msg.document is not None:
        d = msg.document
        return Message(kind="media", text=caption, media=(Media(
            ref=_file_id(d), content_type=clean.optional_text(d.mime_type, 100), size=_size(d.file_size) or None,
            file_name=clean.optional_text(d.file_name, 255)),), **base)
    if msg.video is not None or msg.video_note is not None or msg.animation is not None:
        v = msg.video or msg.video_note or msg.animation
        mime = clean.optional_text(getattr(v, "mime_type", None), 100) or "video/mp4"
        return Message(kind="video", text=caption, media=(Media(ref=_file_id(v), content_type=mime,
                                                               size=_size(v.file_size) or None),), **base)
    if msg.location is not None:
        loc = msg.location
        latitude, longitude = clean.coordinate(loc.latitude, 90), clean.coordinate(loc.longitude, 180)
        if latitude is None or longitude is None:
            return Message(kind="unsupported", **base)
        label = clean.optional_text(msg.venue.title, 500) if msg.venue is not None else None
        return Message(kind="location", location=Location(latitude, longitude, label), **base)
    if msg.sticker is not None:
        return Message(kind="sticker", **base)
    if msg.contact is not None:
        return Message(kind="contact", **base)
    if msg.voice is not None or msg.audio is not None:
        return Message(kind="voice", **base)
    return Message(kind="unsupported", **base)


def _user(user) -> tuple[str, str | None]:
    if user is None:
        raise clean.Unusable("no sender")
    return clean.chat_id(user.id), clean.optional_text(user.first_name, clean.NAME_LIMIT)


def _file_id(obj) -> str:
    if not isinstance(obj.file_id, str) or not obj.file_id:
        raise clean.Unusable("malformed file id")
    return clean.text(obj.file_id, 256)


def _size(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**53 else 0
