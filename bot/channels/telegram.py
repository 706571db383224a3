"""Telegram: update JSON -> ``Message``; ``Reply`` -> sendMessage calls with inline keyboards.

Pure functions; parsing uses python-telegram-bot's own ``Update.de_json`` so
every field Telegram sends is read the way the library reads it.
"""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

from telegram import Update

from bot.channels.split import split_text
from flows.types import Location, Media, Message, Reply

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CHANNEL = "telegram"
_BOLD = re.compile(r"\*([^*\n]+)\*")


def parse_update(data: dict, received_at: datetime | None = None) -> Message | None:
    """The ``Message`` in a Telegram update, or None for updates the bot ignores.

    Ignored on purpose: edited messages (the original was already answered),
    channel posts, membership changes and polls.
    """
    update = Update.de_json(data, bot=None)
    if update is None:
        return None
    at = received_at or datetime.now(timezone.utc)
    pid = str(update.update_id)
    if update.callback_query is not None:
        cq = update.callback_query
        chat = cq.message.chat if cq.message is not None else None
        chat_id = str(chat.id) if chat else str(cq.from_user.id)
        return Message(channel=CHANNEL, chat_id=chat_id, sender_id=str(cq.from_user.id), kind="callback",
                       callback_data=cq.data or "", sender_name=cq.from_user.first_name, received_at=at,
                       platform_id=pid, group=bool(chat and chat.type != "private"),
                       text="", media=(), location=None, ack_token=cq.id)
    msg = update.message
    if msg is None:
        return None
    base = dict(channel=CHANNEL, chat_id=str(msg.chat.id),
                sender_id=str(msg.from_user.id) if msg.from_user else str(msg.chat.id),
                sender_name=msg.from_user.first_name if msg.from_user else None, received_at=at,
                platform_id=pid, group=msg.chat.type != "private")
    if msg.text is not None:
        return Message(kind="text", text=msg.text, **base)
    caption = msg.caption or ""
    if msg.photo:
        biggest = max(msg.photo, key=lambda p: (p.file_size or 0, p.width * p.height))
        return Message(kind="media", text=caption, media=(Media(ref=biggest.file_id, content_type="image/jpeg",
                                                               size=biggest.file_size),), **base)
    if msg.document is not None:
        d = msg.document
        return Message(kind="media", text=caption, media=(Media(ref=d.file_id, content_type=d.mime_type,
                                                               size=d.file_size, file_name=d.file_name),), **base)
    if msg.video is not None or msg.video_note is not None or msg.animation is not None:
        v = msg.video or msg.video_note or msg.animation
        return Message(kind="video", text=caption, media=(Media(ref=v.file_id, content_type=getattr(v, "mime_type", None)
                                                               or "video/mp4", size=v.file_size),), **base)
    if msg.location is not None:
        loc = msg.location
        label = msg.venue.title if msg.venue is not None else None
        return Message(kind="location", location=Location(loc.latitude, loc.longitude, label), **base)
    if msg.sticker is not None:
        return Message(kind="sticker", **base)
    if msg.contact is not None:
        return Message(kind="contact", **base)
    if msg.voice is not None or msg.audio is not None:
        return Message(kind="voice", **base)
    return Message(kind="unsupported", **base)


def to_html(text: str) -> str:
    """Escape for Telegram's HTML mode and turn WhatsApp-style *bold* into <b>bold</b>."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def _button(reply: Reply, option) -> tuple[str, str]:
    """(label, callback data). Officer buttons carry their own data ("o:take:ADU-…")."""
    if option.key.startswith("o:"):
        return option.label, option.key
    label = f"{option.key}. {option.label}" if option.key != "0" else f"↩ {option.label}"
    return label, f"t{reply.menu_token}:{option.key}"


def render(reply: Reply) -> list[dict]:
    """sendMessage parameters: HTML text chunks, the keyboard on the last one."""
    chunks = split_text(reply.text, TEXT_LIMIT - 200)  # room for the HTML tags
    calls = [{"text": to_html(c), "parse_mode": "HTML"} for c in chunks] or [{"text": "…"}]
    if reply.options:
        calls[-1]["keyboard"] = [[_button(reply, o)] for o in reply.options]
    return calls
