"""Queue names in one place, and the per-chat inbox that keeps each chat's messages in order."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from redis import Redis
from redis.commands.core import Script
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


# How long a chat's kick mark stands for it (``kicked`` key): set when the chat is made ready, cleared by
# the job that starts on it; a mark lost with Redis expires, and the sweep of unfinished messages queues
# the chat again.
KICK_SECONDS = 120
# A newly ready chat queues a drain job only while fewer than this many wait in the queue. Idle workers
# take a job at once, so a quiet system still answers each chat from its own job; under a burst the
# waiting jobs and the running ones drain the ready list and no job per message is made or handled.
DRAIN_JOBS_WAITING = 2
LINGERING = -2  # what the arrival script returns when a lingering drain job takes the chat

# One round trip: the message into its chat's inbox, the count, and, for a chat not already marked, the
# mark and the chat onto the ready list; returns how many jobs wait in the RQ queue, -1 if it was marked,
# -2 if a drain job lingers for the next chat (workers/draining.py), which takes this one.
_ARRIVE = """
redis.call('RPUSH', KEYS[1], ARGV[1])
if ARGV[4] ~= '' then redis.call('HINCRBY', KEYS[5], ARGV[4], 1) end
if not redis.call('SET', KEYS[2], 1, 'NX', 'EX', ARGV[2]) then return -1 end
redis.call('RPUSH', KEYS[3], ARGV[3])
local t = redis.call('TIME')
if redis.call('ZCOUNT', KEYS[6], '(' .. (t[1] * 1000 + math.floor(t[2] / 1000)), '+inf') > 0 then return -2 end
return redis.call('LLEN', KEYS[4])
"""
_arrive = Script(None, _ARRIVE.encode())  # run by its SHA on whichever client is passed


def ready_key(q: Queue) -> str:
    """The list of chats with messages waiting and no job started on them yet, for the queue ``q``."""
    return f"loket:ready:{q.name}"


def lingering_key(ready: str) -> str:
    """The drain jobs of the ready list ``ready`` that wait for its next chat, each scored by when its
    entry lapses (ms, Redis's clock): a job that died stops counting by then."""
    return f"{ready}:lingering"


# KEYS: the lingering set, then the RQ queues the worker serves. ARGV: the job's member, the entry's life
# in ms. Registers the job (and drops entries of jobs that died) unless a queue has a job waiting: 1 if so.
_LINGER = Script(None, b"""
for i = 2, #KEYS do
  if redis.call('LLEN', KEYS[i]) > 0 then redis.call('ZREM', KEYS[1], ARGV[1]) return 0 end
end
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
return 1
""")
# KEYS: the ready list, the lingering set. Leaves (1) only while no chat waits: a chat made ready while
# the job was registered queued no job of its own, so this job must take it (0).
_STOP_LINGERING = Script(None, b"""
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
""")


def linger_for(redis: Redis, ready: str, member: str, life_ms: int, queues: tuple[str, ...]) -> bool:
    """Register the drain job ``member`` as waiting for the next chat of ``ready`` for ``life_ms``, unless
    one of the RQ ``queues`` (by key) has a job waiting: False then, and unregistered."""
    return bool(_LINGER(keys=[lingering_key(ready), *queues], args=[member, life_ms], client=redis))


def stop_lingering(redis: Redis, ready: str, member: str) -> bool:
    """Unregister the drain job ``member``, unless a chat waits on ``ready``: False then, and it takes it."""
    return bool(_STOP_LINGERING(keys=[ready, lingering_key(ready)], args=[member], client=redis))


def enqueue_inbound(redis: Redis, q: Queue, chat: str, inbound_id: int, count: tuple[str, dict] | None = None,
                    always: bool = False) -> bool:
    """Append the message to its chat's inbox and make sure a job will drain it; True if the chat was made ready.

    One script appends the message, adds ``count`` (a metrics counter name and its labels) and, unless
    the chat is already marked, marks it and puts it on the ready list. A drain job
    (``workers.conversation.drain_ready``) is queued only when fewer than ``DRAIN_JOBS_WAITING`` wait:
    those, and the jobs already running, take every ready chat. A job clears a chat's mark when it takes
    the chat (workers/chat_lock.py), so a message appended after that makes the chat ready again. ``always`` also
    queues a job for the chat itself: a redelivery, whose first attempt may have been recorded but
    never queued (Redis went away before the job was).
    """
    from bot.ops import metrics
    field = metrics.field(count[0], **count[1]) if count is not None else ""
    ready = ready_key(q)
    waiting = _arrive(
        keys=[redis_key("inbox", chat), redis_key("kicked", chat), ready, q.key, metrics.KEY, lingering_key(ready)],
        args=[inbound_id, KICK_SECONDS, chat, field], client=redis)
    if always:
        kick_chat(q, chat)
    elif 0 <= waiting < DRAIN_JOBS_WAITING:
        kick_ready(q)
    return always or waiting >= 0 or waiting == LINGERING


def kick_ready(q: Queue) -> None:
    """Queue a job that drains the ready list (``workers.conversation.drain_ready``)."""
    q.enqueue("workers.conversation.drain_ready", job_timeout=300, description="drain ready chats",
              result_ttl=0, failure_ttl=7 * 24 * 3600)  # nothing reads a drain's result


def kick_chat(q: Queue, chat: str, job_id: str | None = None, after_seconds: int = 0) -> None:
    """Queue a job that drains ``chat``'s inbox first (and finishes a message a dead worker left), then the
    ready list; retried on failure, so a failing message holds back only its own chat."""
    options = dict(job_timeout=300, job_id=job_id, description="process chat", result_ttl=0,
                   failure_ttl=7 * 24 * 3600, retry=Retry(max=3, interval=[5, 30, 120]))
    if after_seconds:
        q.enqueue_in(timedelta(seconds=after_seconds), "workers.conversation.drain_ready", chat, **options)
    else:
        q.enqueue("workers.conversation.drain_ready", chat, **options)
