"""Sending as a Telegram bot with python-telegram-bot's ``Bot``: per-chat and overall rate limits, retries."""
from __future__ import annotations

import asyncio
import functools
import logging
import os
import ssl
import threading

import httpx
from redis import Redis
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels import base
from bot.channels.telegram.render import CAPTION_LIMIT, render, to_html
from bot.channels.telegram.session import Session
from bot.exceptions import SendFailed
from bot.ops import ratelimit
from bot.settings import Settings

log = logging.getLogger("loket.send")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification context (certifi's CA bundle), built once per process."""
    return httpx.create_ssl_context()


class Sender(base.Sender):
    channel = "telegram"
    PER_SECOND = 30

    def __init__(self, settings: Settings, redis: Redis, *, token: str | None = None):
        """The settings' own bot, or a channel instance's bot (its own token)."""
        super().__init__(settings, redis)
        self.token = token or settings.telegram_bot_token
        self._session: Session | None = None
        self._session_guard = threading.Lock()

    def session(self) -> Session:
        """This process's long-lived Bot and HTTP connections, opened at the first send (again after a fork)."""
        with self._session_guard:
            if self._session is None or self._session.pid != os.getpid():
                requests_ = self._requests()
                self._session = Session(self.bot(requests_), requests_)
            return self._session

    def close(self) -> None:
        with self._session_guard:
            if self._session is not None and self._session.pid == os.getpid():
                self._session.close()
            self._session = None

    def interval(self, chat: str) -> float:
        """Seconds between two messages to ``chat``: groups (negative ids) allow fewer than private chats."""
        if str(chat).startswith("-"):
            return max(self.settings.telegram_group_interval, self.settings.telegram_chat_interval)
        return self.settings.telegram_chat_interval

    def _requests(self) -> tuple[HTTPXRequest, HTTPXRequest]:
        # One TLS context for every Bot (the session's, media downloads'): building one loads the CA
        # bundle (~40 ms, twice per Bot), which capped a worker at ~12 sends/s.
        tls = {"verify": _tls_context()}
        return (HTTPXRequest(connect_timeout=5, read_timeout=self.settings.send_timeout_seconds, httpx_kwargs=tls),
                HTTPXRequest(httpx_kwargs=tls))

    def bot(self, requests: tuple[HTTPXRequest, HTTPXRequest] | None = None) -> Bot:
        api = self.settings.telegram_api_base_url
        request, updates = requests or self._requests()
        return Bot(self.token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot",
                   request=request, get_updates_request=updates)

    async def _call(self, chat: str | None, fn, *args, **kwargs):
        """``fn`` with retries; a message to ``chat`` first waits for the chat's and the overall limit.

        A timed-out send is tried again: the Bot API cannot say what arrived, and a reply
        twice is better than none (Twilio's sends are reconciled instead).
        """
        for delay in (*base.RETRY_DELAYS, None):
            if chat is not None:  # one atomic grant: waiting for one limit cannot break the other
                await ratelimit.wait_for_send_async(self.redis, f"tg:{chat}", self.interval(chat),
                                                    "telegram", self.PER_SECOND)
            try:
                return await fn(*args, **kwargs)
            except RetryAfter as exc:
                wait = exc.retry_after.total_seconds() if hasattr(exc.retry_after, "total_seconds") else float(exc.retry_after)
                if delay is None:
                    raise SendFailed("telegram", "rate limited", 429) from exc
                await asyncio.sleep(wait)
            except (Forbidden, BadRequest) as exc:
                raise SendFailed("telegram", exc.message, permanent=True) from exc
            except (TimedOut, NetworkError) as exc:
                if delay is None:
                    raise SendFailed("telegram", f"network error {type(exc).__name__}") from exc
                await asyncio.sleep(delay)
            except TelegramError as exc:  # InvalidToken, ChatMigrated, Conflict...: retrying will not help
                raise SendFailed("telegram", f"{type(exc).__name__}: {exc.message}", permanent=True) from exc
        raise SendFailed("telegram", "retries exhausted")

    def parts(self, chat_id: str, out: base.Outgoing) -> list[dict]:
        if out.document:  # the reply's text is the file's caption
            name, data = out.document
            return [{"document": data, "filename": name, "caption": to_html(out.reply.text[:CAPTION_LIMIT - 100]),
                     "parse_mode": "HTML"}]
        if out.image_png:  # the reply's text is the photo's caption
            return [{"photo": out.image_png, "caption": to_html(out.reply.text[:CAPTION_LIMIT - 100]),
                     "parse_mode": "HTML"}]
        return render(out.reply)

    def _send_part(self, chat_id: str, part: dict) -> str:
        return self.session().run(lambda bot: self._send_async(bot, chat_id, dict(part)))

    async def _send_async(self, bot: Bot, chat_id: str, part: dict) -> str:
        # No Bot.initialize(): it only calls getMe, a second round trip per message; a wrong
        # token shows up as the send's own error.
        if "photo" in part:
            msg = await self._call(chat_id, bot.send_photo, chat_id=int(chat_id), **part)
            return str(msg.message_id)
        if "document" in part:
            msg = await self._call(chat_id, bot.send_document, chat_id=int(chat_id), **part)
            return str(msg.message_id)
        keyboard = part.pop("keyboard", None)
        markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                       for row in keyboard]) if keyboard else None
        msg = await self._call(chat_id, bot.send_message, chat_id=int(chat_id), reply_markup=markup, **part)
        return str(msg.message_id)

    def acknowledge(self, token: str) -> None:
        try:
            self.session().run(lambda bot: bot.answer_callback_query(token))
        except (NetworkError, BadRequest, TimedOut):
            log.info("callback acknowledgement failed (expired button)")
