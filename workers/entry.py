"""Process entry points: the RQ worker and the scheduler loop."""
from __future__ import annotations

import logging

from redis import Redis
from rq import SimpleWorker, Worker

from bot.ops.logs import setup_logging
from bot.settings import Settings
from bot.queues import Queues, queue
from workers.recovery import Keeper, new_worker_id
from workers.runtime import build, set_runtime


def run_worker(settings: Settings, burst: bool = False, fork: bool = False) -> int:
    """Run an RQ worker on Loket's queues.

    By default jobs run in the worker process itself (``SimpleWorker``): a
    forked child per job re-imports the SDKs, reloads the content pack and
    reconnects to the database each time, about 180 ms of CPU per message
    against 17 ms (bench/README.md). Jobs are short and idempotent, and a
    worker that dies mid-message is recovered by the chat's processing list,
    so the isolation of ``--fork`` is rarely worth its cost.
    """
    setup_logging()
    settings.require_secret()  # evidence links in officers' notices are signed with it
    redis = Redis.from_url(settings.redis_url)
    rt = build(settings, redis)
    rt.worker_id = None if fork else new_worker_id()  # a forked child's claims would outlive it unseen
    rt.lingers = not burst and not fork  # a burst ends when the queues are empty; a fork's job is its own
    set_runtime(rt)
    keeper = Keeper(rt, rt.worker_id or new_worker_id())
    keeper.start()
    queues = [queue(redis, name, settings.queue_prefix) for name in Queues.ALL]
    worker = (Worker if fork else SimpleWorker)(queues, connection=redis)
    try:
        worker.work(with_scheduler=True, burst=burst, logging_level=logging.INFO)
    finally:
        keeper.stop()
    return 0


def run_scheduler(settings: Settings) -> int:
    setup_logging()
    from workers.schedule import run_forever
    run_forever(settings)
    return 0
