"""Queue names in one place, and the per-chat inbox that keeps each chat's messages in order."""
from __future__ import annotations

import hashlib

from redis import Redis
from rq import Queue, Retry

from bot.tenancy.channels import chat_key as tenancy_chat_key


class Queues:
    INBOUND = "loket-inbound"
    SEND = "loket-send"
    SCHEDULED = "loket-scheduled"
    ALL = (INBOUND, SEND, SCHEDULED)


def queue(redis: Redis, name: str, prefix: str = "") -> Queue:
    return Queue(prefix + name, connection=redis)


def chat_key(channel: str, chat_id: str, instance: str | None = None) -> str:
    return tenancy_chat_key(channel, chat_id, instance)


def redis_key(kind: str, chat: str) -> str:
    """A Redis key for ``chat`` that does not spell out the phone number or chat id."""
    digest = hashlib.sha256(chat.encode()).hexdigest()[:32]
    return f"loket:{kind}:{digest}"


def enqueue_inbound(redis: Redis, q: Queue, chat: str, inbound_id: int) -> None:
    """Append the message to its chat's inbox and make sure a job drains that inbox.

    One job per message is queued, but whichever job holds the chat's lock
    drains the inbox in order; the others find it empty (or locked) and end.
    """
    redis.rpush(redis_key("inbox", chat), inbound_id)
    kick_chat(q, chat)


def kick_chat(q: Queue, chat: str, job_id: str | None = None) -> None:
    """Queue a job that drains ``chat``'s inbox (and finishes a message a dead worker left)."""
    q.enqueue("workers.conversation.process_chat", chat, job_timeout=300, job_id=job_id,
              description="process chat", result_ttl=60, failure_ttl=7 * 24 * 3600,
              retry=Retry(max=3, interval=[5, 30, 120]))
