"""Process entry points: the RQ worker and the scheduler loop."""
from __future__ import annotations

import logging

from redis import Redis
from rq import Worker

from bot.logs import setup_logging
from bot.settings import Settings
from workers.queues import Queues, queue
from workers.runtime import build, set_runtime


def run_worker(settings: Settings, burst: bool = False) -> int:
    setup_logging()
    redis = Redis.from_url(settings.redis_url)
    set_runtime(build(settings, redis))
    queues = [queue(redis, name, settings.queue_prefix) for name in Queues.ALL]
    worker = Worker(queues, connection=redis)
    worker.work(with_scheduler=True, burst=burst, logging_level=logging.INFO)
    return 0


def run_scheduler(settings: Settings) -> int:
    setup_logging()
    from workers.schedule import run_forever
    run_forever(settings)
    return 0
