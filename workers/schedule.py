"""The scheduler loop: every minute, queue the SLA watch; each working morning, the digest.

Jobs it queues are idempotent (reminders are claimed once in the database),
so two schedulers running at once do no harm.
"""
from __future__ import annotations

import logging
import signal
import threading
import time

from redis import Redis
from redis.exceptions import RedisError

from bot.settings import Settings
from bot.queues import Queues, queue

log = logging.getLogger("loket.scheduler")


def tick(redis: Redis, settings: Settings, now: float | None = None) -> None:
    """Queue this minute's scheduled jobs once, whichever scheduler gets there first."""
    minute = int((now or time.time()) // 60)
    if redis.set(f"loket:tick:{settings.queue_prefix}{minute}", 1, nx=True, ex=300):
        q = queue(redis, Queues.SCHEDULED, settings.queue_prefix)
        q.enqueue("workers.sla_watch.scan", result_ttl=60)
        q.enqueue("workers.digest.digest_if_due", result_ttl=60)


def run_forever(settings: Settings, interval: float = 20.0) -> None:
    """Tick until SIGINT or SIGTERM; a signal ends the loop between ticks, never halfway."""
    redis = Redis.from_url(settings.redis_url)
    stopping = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopping.set())
    log.info("scheduler started")
    while not stopping.is_set():
        try:
            tick(redis, settings)
        except RedisError:
            log.warning("redis unavailable; the scheduler tries again")
        stopping.wait(interval)
    log.info("scheduler stopped")
