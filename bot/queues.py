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


# How long a queued drain job stands for its chat (``kicked`` key). A job clears it when it starts; a job
# lost with Redis clears it by expiring, and the sweep of unfinished messages queues the chat again.
KICK_SECONDS = 120


def enqueue_inbound(redis: Redis, q: Queue, chat: str, inbound_id: int, count: tuple[str, dict] | None = None,
                    always: bool = False) -> bool:
    """Append the message to its chat's inbox and make sure a job drains that inbox; True if one was queued.

    One round trip appends the message, marks the chat as kicked (unless it already is) and adds
    ``count`` (a metrics counter name and its labels); a second queues the job only when this message
    set the mark. A chat whose drain job is still waiting gets no second one: that job clears the mark
    before it looks at the inbox, so a message appended after it started queues a job of its own.
    Whichever job holds the chat's lock drains the inbox in order. ``always`` queues a job even when the
    chat is marked: a redelivery, whose first attempt may have set the mark and then failed to queue.
    """
    from bot.ops import metrics
    pipe = redis.pipeline(transaction=False)
    pipe.rpush(redis_key("inbox", chat), inbound_id)
    pipe.set(redis_key("kicked", chat), 1, nx=True, ex=KICK_SECONDS)
    if count is not None:
        metrics.incr(pipe, count[0], **count[1])
    kicked = bool(pipe.execute()[1]) or always
    if kicked:
        kick_chat(q, chat)
    return kicked


def kick_chat(q: Queue, chat: str, job_id: str | None = None) -> None:
    """Queue a job that drains ``chat``'s inbox (and finishes a message a dead worker left)."""
    q.enqueue("workers.conversation.process_chat", chat, job_timeout=300, job_id=job_id,
              description="process chat", result_ttl=0, failure_ttl=7 * 24 * 3600,  # nothing reads a drain's result
              retry=Retry(max=3, interval=[5, 30, 120]))
