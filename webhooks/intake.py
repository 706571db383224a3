"""The one pipeline every channel feeds: record the raw event once, then queue it."""
from __future__ import annotations

import logging

from bot import metrics
from bot.db import session_scope
from bot.store.inbound import record_inbound, unprocessed_id
from workers.queues import kick_chat
from flows.types import Message
from webhooks.app import Services
from workers.queues import chat_key, enqueue_inbound

log = logging.getLogger("loket.webhooks")


def accept(svc: Services, message: Message, payload: dict) -> int | None:
    """Record ``message`` and queue it; None when this delivery was seen before (Twilio/Telegram retry)."""
    chat = chat_key(message.channel, message.chat_id)
    with session_scope(svc.sessions) as session:
        inbound_id = record_inbound(session, channel=message.channel, platform_id=message.platform_id,
                                    chat_key=chat, payload=payload, message=message.to_dict())
    if inbound_id is None:
        metrics.incr(svc.redis, "inbound_duplicates_total", channel=message.channel)
        log.info("duplicate delivery dropped", extra={"channel": message.channel})
        with svc.sessions() as session:
            pending = unprocessed_id(session, message.channel, message.platform_id)
        if pending is not None:
            # The platform retried because our first answer was late or a worker died
            # mid-way: nudge the chat's inbox so the unfinished message is handled again.
            kick_chat(svc.inbound, chat)
        return None
    enqueue_inbound(svc.redis, svc.inbound, chat, inbound_id)
    metrics.incr(svc.redis, "inbound_messages_total", channel=message.channel)
    log.info("inbound %s queued as %s", message.kind, inbound_id, extra={"channel": message.channel})
    return inbound_id
