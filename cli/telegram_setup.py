"""``loket telegram set-webhook URL``: register the webhook with the secret token."""
from __future__ import annotations

import asyncio
import sys

from telegram import Bot
from telegram.error import TelegramError

from bot.settings import Settings

ALLOWED_UPDATES = ["message", "callback_query"]


def set_webhook(settings: Settings, url: str) -> int:
    if not settings.telegram_bot_token or not settings.telegram_webhook_secret:
        print("loket telegram: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first", file=sys.stderr)
        return 2
    base = settings.telegram_api_base_url

    async def register() -> bool:
        async with Bot(settings.telegram_bot_token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot") as bot:
            return await bot.set_webhook(url, secret_token=settings.telegram_webhook_secret,
                                         allowed_updates=ALLOWED_UPDATES, max_connections=40)
    try:
        ok = asyncio.run(register())
    except TelegramError as exc:
        print(f"loket telegram: Telegram refused: {exc.message}", file=sys.stderr)
        return 1
    print(f"webhook set to {url}" if ok else "Telegram did not confirm the webhook")
    return 0 if ok else 1
