"""Send-rate limits shared by every worker process through Redis.

Telegram allows about one message per second per chat and thirty per second
overall; Twilio queues beyond its sender rate. ``AIORateLimiter`` only sees
one process, so the limit lives in Redis.
"""
from __future__ import annotations

import time

from redis import Redis


def wait_for_chat(redis: Redis, key: str, min_interval: float, timeout: float = 30.0) -> None:
    """Block until this chat may receive its next message (at most one per ``min_interval``)."""
    deadline = time.monotonic() + timeout
    while not redis.set(f"loket:rate:chat:{key}", 1, px=max(1, int(min_interval * 1000)), nx=True):
        if time.monotonic() > deadline:
            return
        ttl = redis.pttl(f"loket:rate:chat:{key}")
        time.sleep(max(ttl, 5) / 1000)


def wait_for_global(redis: Redis, name: str, per_second: int, timeout: float = 30.0) -> None:
    """Block until a slot in the current one-second window is free for ``name``."""
    deadline = time.monotonic() + timeout
    while True:
        now = time.time()
        window = f"loket:rate:global:{name}:{int(now)}"
        pipe = redis.pipeline()
        pipe.incr(window)
        pipe.expire(window, 3)
        count, _ = pipe.execute()
        if count <= per_second or time.monotonic() > deadline:
            return
        time.sleep(1.0 - (now % 1.0) + 0.001)
