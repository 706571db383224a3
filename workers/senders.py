"""One sender per channel behind one ``send`` interface, with retries, backoff and rate limits.

The provider SDKs are used as they are (``twilio.rest.Client``,
``telegram.Bot``); their base URLs come from settings so tests can point them
at local fakes.
"""
from __future__ import annotations

import asyncio
import functools
import json
import logging
import ssl
import time
from dataclasses import dataclass

import httpx
from redis import Redis
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot import metrics, ratelimit
from bot.channels import telegram as tg
from bot.channels import whatsapp as wa
from bot.channels.twilio_http import BaseUrlHttpClient
from bot.exceptions import OutsideWindow, SendFailed
from bot.settings import Settings
from flows.types import Reply

log = logging.getLogger("loket.send")
# Seconds between attempts: len(RETRY_DELAYS) retries after the first try. Read at each
# send, so tests make it tiny with ``monkeypatch.setattr("workers.senders.RETRY_DELAYS", ...)``.
RETRY_DELAYS = (1, 2, 4)


@dataclass
class Outgoing:
    """One reply, ready for a channel: the reply, and a picture to go with it if any."""

    reply: Reply
    image_png: bytes | None = None
    image_url: str | None = None
    template: tuple[str, dict] | None = None  # WhatsApp content SID + variables if outside the window
    meta: dict | None = None  # kept with the outbound record, e.g. the ticket a relay belongs to


class Sender:
    channel = "?"

    def __init__(self, settings: Settings, redis: Redis):
        self.settings, self.redis = settings, redis

    def send(self, chat_id: str, out: Outgoing) -> list[str]:
        """Send and return the platform's message ids; raise ``SendFailed`` after retries."""
        started = time.monotonic()
        try:
            ids = self._send(chat_id, out)
        except SendFailed:
            metrics.incr(self.redis, "send_failures_total", channel=self.channel)
            raise
        metrics.incr(self.redis, "messages_sent_total", len(ids) or 1, channel=self.channel)
        log.info("sent %d message(s) in %.3fs", len(ids), time.monotonic() - started, extra={"channel": self.channel})
        return ids

    def _send(self, chat_id: str, out: Outgoing) -> list[str]:
        raise NotImplementedError

    def acknowledge(self, token: str) -> None:
        """Stop a button's spinner (Telegram); nothing elsewhere."""


class WhatsAppSender(Sender):
    channel = "whatsapp"
    PER_SECOND = 80

    def __init__(self, settings: Settings, redis: Redis):
        super().__init__(settings, redis)
        # Always a timeout: the SDK's default client has none, and a hung connection would hold the job.
        http = (BaseUrlHttpClient(settings.twilio_api_base_url, timeout=15) if settings.twilio_api_base_url
                else TwilioHttpClient(timeout=15))
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)

    def _create(self, **params) -> str:
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            ratelimit.wait_for_global(self.redis, "twilio", self.PER_SECOND)
            try:
                return self.client.messages.create(from_=self.settings.twilio_whatsapp_from, **params).sid
            except TwilioRestException as exc:
                if exc.code == 63016:
                    raise OutsideWindow("whatsapp", "outside the 24-hour window", 63016) from exc
                if exc.code == 21610:
                    raise SendFailed("whatsapp", "recipient opted out", 21610, permanent=True) from exc
                retryable = exc.status in (429, 500, 502, 503, 504) or exc.code == 63018
                if not retryable or delay is None:
                    raise SendFailed("whatsapp", "refused by Twilio", exc.code or exc.status,
                                     permanent=not retryable) from exc
            except OSError as exc:  # connection reset, timeout: Twilio may be briefly unreachable
                if delay is None:
                    raise SendFailed("whatsapp", f"network error {type(exc).__name__}") from exc
            time.sleep(delay)
        raise SendFailed("whatsapp", "retries exhausted")

    def _send(self, chat_id: str, out: Outgoing) -> list[str]:
        to = f"whatsapp:{chat_id}"
        callback = f"{self.settings.public_base_url}/webhooks/twilio/status"
        if out.template is not None:
            sid, variables = out.template
            return [self._create(to=to, content_sid=sid, content_variables=json.dumps(variables),
                                 status_callback=callback)]
        if out.image_url:  # the reply's text is the picture's caption
            return [self._create(to=to, body=out.reply.text[:wa.BODY_LIMIT], media_url=[out.image_url],
                                 status_callback=callback)]
        return [self._create(to=to, body=body, status_callback=callback) for body in wa.render(out.reply)]


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification context (certifi's CA bundle), built once per process."""
    return httpx.create_ssl_context()


class TelegramSender(Sender):
    channel = "telegram"
    PER_SECOND = 30

    def interval(self, chat: str) -> float:
        """Seconds between two messages to ``chat``: groups (negative ids) allow fewer than private chats."""
        if str(chat).startswith("-"):
            return max(self.settings.telegram_group_interval, self.settings.telegram_chat_interval)
        return self.settings.telegram_chat_interval

    def _requests(self) -> tuple[HTTPXRequest, HTTPXRequest]:
        # A Bot per send (each send runs its own event loop), but one TLS context for all of them:
        # building one loads the CA bundle (~40 ms, twice per Bot), which capped a worker at ~12 sends/s.
        tls = {"verify": _tls_context()}
        return (HTTPXRequest(connect_timeout=5, read_timeout=15, httpx_kwargs=tls), HTTPXRequest(httpx_kwargs=tls))

    def bot(self, requests: tuple[HTTPXRequest, HTTPXRequest] | None = None) -> Bot:
        base = self.settings.telegram_api_base_url
        request, updates = requests or self._requests()
        return Bot(self.settings.telegram_bot_token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
                   request=request, get_updates_request=updates)

    def _send(self, chat_id: str, out: Outgoing) -> list[str]:
        return asyncio.run(self._send_async(chat_id, out))

    async def _call(self, chat: str | None, fn, *args, **kwargs):
        """``fn`` with retries; a message to ``chat`` first waits for the chat's and the overall limit."""
        for delay in (*RETRY_DELAYS, None):
            if chat is not None:  # one atomic grant: waiting for one limit cannot break the other
                ratelimit.wait_for_send(self.redis, f"tg:{chat}", self.interval(chat),
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

    async def _send_async(self, chat_id: str, out: Outgoing) -> list[str]:
        # No Bot.initialize(): it only calls getMe, a second round trip per message. The HTTP
        # clients are opened and closed here; a wrong token shows up as the send's own error.
        requests = self._requests()
        bot = self.bot(requests)
        try:
            for request in requests:
                await request.initialize()
            return await self._send_with(bot, chat_id, out)
        finally:
            for request in requests:
                await request.shutdown()

    async def _send_with(self, bot: Bot, chat_id: str, out: Outgoing) -> list[str]:
        ids = []
        if out.image_png:  # the reply's text is the photo's caption
            msg = await self._call(chat_id, bot.send_photo, chat_id=int(chat_id), photo=out.image_png,
                                   caption=tg.to_html(out.reply.text[:tg.CAPTION_LIMIT - 100]), parse_mode="HTML")
            return [str(msg.message_id)]
        for call in tg.render(out.reply):
            keyboard = call.pop("keyboard", None)
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                           for row in keyboard]) if keyboard else None
            msg = await self._call(chat_id, bot.send_message, chat_id=int(chat_id), reply_markup=markup, **call)
            ids.append(str(msg.message_id))
        return ids

    def acknowledge(self, token: str) -> None:
        async def ack():
            async with self.bot() as bot:
                await bot.answer_callback_query(token)
        try:
            asyncio.run(ack())
        except (NetworkError, BadRequest, TimedOut):
            log.info("callback acknowledgement failed (expired button)")


class SimulatorSender(Sender):
    """The browser simulator: replies go to a Redis list the page reads."""

    channel = "simulator"

    def _send(self, chat_id: str, out: Outgoing) -> list[str]:
        key = f"loket:sim:{chat_id}"
        entry = {"text": out.reply.text, "options": [[o.key, o.label] for o in out.reply.options],
                 "token": out.reply.menu_token, "image": out.image_url, "at": time.time()}
        n = self.redis.rpush(key, json.dumps(entry, ensure_ascii=False))
        self.redis.expire(key, 24 * 3600)
        return [f"sim-{n}"]


def make_senders(settings: Settings, redis: Redis) -> dict[str, Sender]:
    senders: dict[str, Sender] = {"simulator": SimulatorSender(settings, redis)}
    if settings.twilio_account_sid and settings.twilio_auth_token:
        senders["whatsapp"] = WhatsAppSender(settings, redis)
    if settings.telegram_bot_token:
        senders["telegram"] = TelegramSender(settings, redis)
    return senders
