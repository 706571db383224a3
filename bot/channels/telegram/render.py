"""``Reply`` -> Telegram sendMessage calls: HTML text in chunks, buttons as an inline keyboard."""
from __future__ import annotations

import html
import re

from bot.channels.split import split_text
from bot.types import Reply

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_BOLD = re.compile(r"\*([^*\n]+)\*")


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
