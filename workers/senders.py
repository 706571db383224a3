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
from datetime import datetime, timedelta, timezone
from typing import Iterable

import httpx
import requests
from redis import Redis
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot import metrics, ratelimit
from bot.channels import sms
from bot.channels import telegram as tg
from bot.channels import whatsapp as wa
from bot.channels.twilio_http import BaseUrlHttpClient
from bot.exceptions import OutsideWindow, SendFailed, SendUncertain
from bot.settings import Settings
from bot.tenancy import ChannelInstance
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
    document: tuple[str, bytes] | None = None  # (file name, bytes) of a file to upload (Telegram)
    document_url: str | None = None  # a signed link the platform fetches the file from (Twilio)
    meta: dict | None = None  # kept with the outbound record, e.g. the ticket a relay belongs to


class Sender:
    """One channel's sending. A reply goes out as ``parts`` (one provider call each), so the outbox
    (``workers.delivery``) can claim and record each part, and after a crash or a timeout ask the
    platform what arrived (``find_sent``) instead of sending it again."""

    channel = "?"
    looks_up = False  # can find_sent tell what the platform took?

    def __init__(self, settings: Settings, redis: Redis):
        self.settings, self.redis = settings, redis

    def send(self, chat_id: str, out: Outgoing) -> list[str]:
        """Send every part and return the platform's message ids; raise ``SendFailed`` after retries."""
        return [self.send_part(chat_id, part) for part in self.parts(chat_id, out)]

    def send_part(self, chat_id: str, part: dict) -> str:
        """Send one part; return its platform id. ``SendUncertain`` when it may have arrived."""
        started = time.monotonic()
        try:
            platform_id = self._send_part(chat_id, part)
        except SendFailed:
            metrics.incr(self.redis, "send_failures_total", channel=self.channel)
            raise
        metrics.incr(self.redis, "messages_sent_total", channel=self.channel)
        log.info("sent a message in %.3fs", time.monotonic() - started, extra={"channel": self.channel})
        return platform_id

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        """The provider calls that deliver ``out``, in order (no network)."""
        raise NotImplementedError

    def _send_part(self, chat_id: str, part: dict) -> str:
        raise NotImplementedError

    def find_sent(self, chat_id: str, part: dict, since: datetime) -> list[str]:
        """Ids of messages matching ``part`` that the platform accepted since ``since``; [] when it cannot tell."""
        return []

    def acknowledge(self, token: str) -> None:
        """Stop a button's spinner (Telegram); nothing elsewhere."""


class WhatsAppSender(Sender):
    channel = "whatsapp"
    looks_up = True
    PER_SECOND = 80
    # Twilio retries its status callback on a failed or timed-out connection (connection overrides).
    CALLBACK_RETRY = "#rc=3&rp=all"

    def __init__(self, settings: Settings, redis: Redis, *, from_address: str | None = None,
                 account_sid: str | None = None, auth_token: str | None = None):
        """The settings' own sender, or a channel instance's: its ``From`` number and its account."""
        super().__init__(settings, redis)
        self.from_address = from_address or settings.twilio_whatsapp_from
        # Always a timeout: the SDK's default client has none, and a hung connection would hold the job.
        timeout = settings.send_timeout_seconds
        http = (BaseUrlHttpClient(settings.twilio_api_base_url, timeout=timeout) if settings.twilio_api_base_url
                else TwilioHttpClient(timeout=timeout))
        self.client = Client(account_sid or settings.twilio_account_sid, auth_token or settings.twilio_auth_token,
                             http_client=http)

    def _create(self, **params) -> str:
        started = datetime.now(timezone.utc)
        for attempt, delay in enumerate((*RETRY_DELAYS, None)):
            ratelimit.wait_for_global(self.redis, "twilio", self.PER_SECOND)
            try:
                return self.client.messages.create(from_=self.from_address, **params).sid
            except TwilioRestException as exc:
                if exc.code == 63016:
                    raise OutsideWindow(self.channel, "outside the 24-hour window", 63016) from exc
                if exc.code == 21610:
                    raise SendFailed(self.channel, "recipient opted out", 21610, permanent=True) from exc
                retryable = exc.status in (429, 500, 502, 503, 504) or exc.code == 63018
                if not retryable or delay is None:
                    raise SendFailed(self.channel, "refused by Twilio", exc.code or exc.status,
                                     permanent=not retryable) from exc
            except OSError as exc:  # requests' errors: connection refused, reset, timed out
                if not _never_sent(exc):
                    # The request may have reached Twilio (a slow answer past our read timeout):
                    # ask Twilio before sending it again, or the citizen gets it twice.
                    found = self._settle(params, started)
                    if found:
                        return found
                    if delay is None:
                        raise SendUncertain(self.channel, f"no answer ({type(exc).__name__})") from exc
                elif delay is None:
                    raise SendFailed(self.channel, f"network error {type(exc).__name__}") from exc
            time.sleep(delay)
        raise SendFailed(self.channel, "retries exhausted")

    def _settle(self, params: dict, since: datetime) -> str | None:
        """Wait up to two read timeouts for a message that may have arrived to show in Twilio's list."""
        deadline = time.monotonic() + 2 * self.settings.send_timeout_seconds
        while True:
            try:
                found = self.find_sent("", params, since)
            except (TwilioRestException, OSError):
                found = []
            if found or time.monotonic() >= deadline:
                return found[0] if found else None
            time.sleep(min(0.5, self.settings.send_timeout_seconds / 2))

    def find_sent(self, chat_id: str, part: dict, since: datetime) -> list[str]:
        if "body" not in part:
            return []  # an approved template: Twilio keeps the rendered text, not ours; it goes again
        floor = since - timedelta(seconds=2)  # Twilio's timestamps are whole seconds
        return [m.sid for m in self.client.messages.list(to=part["to"], limit=100)
                if m.body == part["body"] and m.date_created is not None and m.date_created >= floor
                and (m.status or "") not in ("failed", "undelivered", "canceled")]

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        to = f"whatsapp:{chat_id}"
        callback = f"{self.settings.public_base_url}/webhooks/twilio/status{self.CALLBACK_RETRY}"
        if out.template is not None:
            sid, variables = out.template
            return [dict(to=to, content_sid=sid, content_variables=json.dumps(variables), status_callback=callback)]
        if out.image_url or out.document_url:  # the reply's text is the picture's (or file's) caption
            return [dict(to=to, body=out.reply.text[:wa.BODY_LIMIT], media_url=[out.image_url or out.document_url],
                         status_callback=callback)]
        return [dict(to=to, body=body, status_callback=callback) for body in wa.render(out.reply)]

    def _send_part(self, chat_id: str, part: dict) -> str:
        return self._create(**part)


class SmsSender(WhatsAppSender):
    """SMS through Twilio: the same account, retries and look-ups, from the instance's plain number.

    Plain-text bodies only (bot/channels/sms.py): no templates (SMS has no window) and no pictures or
    files (MMS does not run in Indonesia), so a reply that comes with one goes as its text alone.
    """

    channel = "sms"

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        callback = f"{self.settings.public_base_url}/webhooks/twilio/status{self.CALLBACK_RETRY}"
        return [dict(to=chat_id, body=body, status_callback=callback) for body in sms.render(out.reply)]


def _never_sent(exc: OSError) -> bool:
    """True when the request cannot have reached Twilio (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    return isinstance(exc, requests.exceptions.ConnectionError) and "NewConnectionError" in repr(exc.args)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """httpx's default verification context (certifi's CA bundle), built once per process."""
    return httpx.create_ssl_context()


class TelegramSender(Sender):
    channel = "telegram"
    PER_SECOND = 30

    def __init__(self, settings: Settings, redis: Redis, *, token: str | None = None):
        """The settings' own bot, or a channel instance's bot (its own token)."""
        super().__init__(settings, redis)
        self.token = token or settings.telegram_bot_token

    def interval(self, chat: str) -> float:
        """Seconds between two messages to ``chat``: groups (negative ids) allow fewer than private chats."""
        if str(chat).startswith("-"):
            return max(self.settings.telegram_group_interval, self.settings.telegram_chat_interval)
        return self.settings.telegram_chat_interval

    def _requests(self) -> tuple[HTTPXRequest, HTTPXRequest]:
        # A Bot per send (each send runs its own event loop), but one TLS context for all of them:
        # building one loads the CA bundle (~40 ms, twice per Bot), which capped a worker at ~12 sends/s.
        tls = {"verify": _tls_context()}
        return (HTTPXRequest(connect_timeout=5, read_timeout=self.settings.send_timeout_seconds, httpx_kwargs=tls),
                HTTPXRequest(httpx_kwargs=tls))

    def bot(self, requests: tuple[HTTPXRequest, HTTPXRequest] | None = None) -> Bot:
        base = self.settings.telegram_api_base_url
        request, updates = requests or self._requests()
        return Bot(self.token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
                   request=request, get_updates_request=updates)

    async def _call(self, chat: str | None, fn, *args, **kwargs):
        """``fn`` with retries; a message to ``chat`` first waits for the chat's and the overall limit.

        A timed-out send is tried again: the Bot API cannot say what arrived, and a reply
        twice is better than none (Twilio's sends are reconciled instead).
        """
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

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        if out.document:  # the reply's text is the file's caption
            name, data = out.document
            return [{"document": data, "filename": name, "caption": tg.to_html(out.reply.text[:tg.CAPTION_LIMIT - 100]),
                     "parse_mode": "HTML"}]
        if out.image_png:  # the reply's text is the photo's caption
            return [{"photo": out.image_png, "caption": tg.to_html(out.reply.text[:tg.CAPTION_LIMIT - 100]),
                     "parse_mode": "HTML"}]
        return tg.render(out.reply)

    def _send_part(self, chat_id: str, part: dict) -> str:
        return asyncio.run(self._send_async(chat_id, dict(part)))

    async def _send_async(self, chat_id: str, part: dict) -> str:
        # No Bot.initialize(): it only calls getMe, a second round trip per message. The HTTP
        # clients are opened and closed here; a wrong token shows up as the send's own error.
        requests_ = self._requests()
        bot = self.bot(requests_)
        try:
            for request in requests_:
                await request.initialize()
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
        finally:
            for request in requests_:
                await request.shutdown()

    def acknowledge(self, token: str) -> None:
        async def ack():
            async with self.bot() as bot:
                await bot.answer_callback_query(token)
        try:
            asyncio.run(ack())
        except (NetworkError, BadRequest, TimedOut):
            log.info("callback acknowledgement failed (expired button)")


class SimulatorSender(Sender):
    """The browser simulator: replies go to a Redis list the page reads.

    In the demo it also stands in for channel instances that have no credentials (``instance``): the
    page then shows that number's or bot's chats, the officers' groups among them.
    """

    channel = "simulator"

    def __init__(self, settings: Settings, redis: Redis, *, instance: str | None = None):
        super().__init__(settings, redis)
        self.instance = instance

    @staticmethod
    def list_key(instance: str | None, chat_id: str) -> str:
        """The Redis list holding what went to ``chat_id`` (through ``instance``, when one is played)."""
        return f"loket:sim:{instance}:{chat_id}" if instance else f"loket:sim:{chat_id}"

    def parts(self, chat_id: str, out: Outgoing) -> list[dict]:
        return [{"text": out.reply.text, "options": [[o.key, o.label] for o in out.reply.options],
                 "token": out.reply.menu_token, "image": out.image_url, "document": out.document_url}]

    def _send_part(self, chat_id: str, part: dict) -> str:
        key = self.list_key(self.instance, chat_id)
        entry = {**part, "at": time.time()}
        n = self.redis.rpush(key, json.dumps(entry, ensure_ascii=False))
        self.redis.expire(key, 24 * 3600)
        return f"sim-{n}"


#: The sender of each provider that goes through Twilio (its module: bot/channels/providers.py).
TWILIO_SENDERS: dict[str, type[WhatsAppSender]] = {"whatsapp": WhatsAppSender, "sms": SmsSender}


def make_senders(settings: Settings, redis: Redis, instances: Iterable[ChannelInstance] = ()) -> dict[str, Sender]:
    """Senders by name: the settings' own as ``whatsapp`` and ``telegram`` (the default instances' ids),
    and one per other channel instance under its id, sending from its number or as its bot."""
    senders: dict[str, Sender] = {"simulator": SimulatorSender(settings, redis)}
    if settings.twilio_account_sid and settings.twilio_auth_token:
        senders["whatsapp"] = WhatsAppSender(settings, redis)
    if settings.telegram_bot_token:
        senders["telegram"] = TelegramSender(settings, redis)
    for inst in instances:
        if inst.default:
            continue
        if inst.provider in TWILIO_SENDERS:
            sid, token = settings.setting(inst.account_sid_env or ""), settings.setting(inst.auth_token_env or "")
            if sid and token:
                senders[inst.id] = TWILIO_SENDERS[inst.provider](settings, redis, from_address=inst.address,
                                                                  account_sid=sid, auth_token=token)
        elif inst.provider == "telegram" and settings.setting(inst.token_env or ""):
            senders[inst.id] = TelegramSender(settings, redis, token=settings.setting(inst.token_env or ""))
    return senders
