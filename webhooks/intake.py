"""The one pipeline every channel feeds: record the raw event once, then queue it."""
from __future__ import annotations

import logging

from redis.exceptions import RedisError
from werkzeug.exceptions import ServiceUnavailable

from bot.ops import metrics
from bot.channels import clean
from bot.store.inbound import save_inbound, unprocessed_id
from bot.types import Message
from webhooks.services import Services
from bot.queues import chat_key, enqueue_inbound

log = logging.getLogger("loket.webhooks")


def accept(svc: Services, message: Message, payload: dict) -> int | None:
    """Record ``message`` and queue it; None when this delivery was seen before (Twilio/Telegram retry).

    Recorded but not queued (Redis down) answers 503, so the platform delivers
    again; the retry finds the unfinished record and queues it then.
    """
    chat = chat_key(message.channel, message.chat_id, message.instance)
    # Committed before anything is queued or acknowledged; a concurrent duplicate gets no id.
    inbound_id = save_inbound(svc.intake_engine, channel=message.channel, platform_id=message.platform_id,
                              chat_key=chat, payload=clean.payload(payload),
                              message=clean.payload(message.to_dict()))
    fresh = inbound_id is not None
    if not fresh:
        metrics.incr(svc.redis, "inbound_duplicates_total", channel=message.channel)
        with svc.sessions() as session:
            inbound_id = unprocessed_id(session, message.channel, message.platform_id)
        if inbound_id is None:
            log.info("duplicate delivery dropped", extra={"channel": message.channel})
            return None
        # Not finished yet: our first answer was lost, Redis was down, or a worker died mid-way.
        # Queue it again; a message already handled is skipped by the worker.
        log.info("redelivery of unfinished inbound %s queued again", inbound_id, extra={"channel": message.channel})
    try:
        enqueue_inbound(svc.redis, svc.inbound, chat, inbound_id,
                        count=("inbound_messages_total", {"channel": message.channel}) if fresh else None,
                        always=not fresh)
    except RedisError as exc:
        log.error("inbound %s recorded but not queued: %s", inbound_id, type(exc).__name__)
        raise ServiceUnavailable("queue unavailable; deliver again") from exc
    if fresh:
        # DEBUG: at a broadcast's hundreds a second, a line per message buries the ones that need a
        # look; the count is in /metrics and every message is a row in inbound_events.
        log.debug("inbound %s queued as %s", message.kind, inbound_id, extra={"channel": message.channel})
        return inbound_id
    return None
