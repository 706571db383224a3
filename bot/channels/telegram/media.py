"""A Telegram attachment's bytes, through getFile with the bot that received it (a file_id is per bot)."""
from __future__ import annotations

import asyncio
from typing import Callable

from telegram.error import TelegramError

from bot.exceptions import MediaRefused
from bot.settings import Settings
from bot.types import Media


def fetch_media(media: Media, sender, settings: Settings, limit: int,
                too_big: Callable[[int], MediaRefused]) -> bytes:
    """The file's bytes (at most ``limit``), refused before downloading when Telegram says it is bigger."""
    if media.size and media.size > limit:
        raise too_big(media.size)
    if sender is None:
        raise MediaRefused("download")

    async def fetch() -> bytes:
        async with sender.bot() as bot:
            file = await bot.get_file(media.ref)
            if file.file_size and file.file_size > limit:
                raise too_big(file.file_size)
            return bytes(await file.download_as_bytearray())
    try:
        return asyncio.run(fetch())
    except TelegramError as exc:
        raise MediaRefused("download") from exc
