"""Recover within seconds what a dead worker or a Redis restart left behind.

Each worker process beats (a Redis key that expires after three beats) and
records the chats whose lock it holds. A thread in every worker, each beat:

- renews the locks of its own chats (a slow send never lets a lock lapse
  while its holder lives);
- takes over the chats of workers whose heartbeat is gone: frees the lock the
  dead worker held and queues the chat, whose processing list still holds
  the interrupted message (RQ itself would wait for its 10-minute
  abandoned-job maintenance);
- every few beats, one worker sweeps the database for recorded inbound
  events still unprocessed after ``SWEEP_AFTER_SECONDS`` whose chat nobody
  holds (their job was lost, e.g. with a Redis restart), and queues them.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from bot.ops import metrics
from bot.store.models import utcnow
from bot.store.inbound import list_unprocessed
from bot.queues import Queues, kick_chat, queue, ready_key, redis_key

log = logging.getLogger("loket.recovery")
CLAIMS = "loket:claims"  # hash: chat key -> "worker id|lock token"
SWEEP_EVERY_BEATS = 3

# Delete or extend a lock only while it still holds the given token.
_DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
EXTEND_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_HDEL_IF = "if redis.call('hget', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('hdel', KEYS[1], ARGV[1]) end return 0"


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def _beat_key(worker_id: str) -> str:
    return f"loket:heartbeat:{worker_id}"


def claim_value(worker_id: str, token: bytes | str) -> str:
    """What ``CLAIMS`` holds for a chat whose lock ``worker_id`` holds with ``token``; a worker records and
    drops its claims with the lock itself (workers/chat_lock.py)."""
    return f"{worker_id}|{token.decode() if isinstance(token, bytes) else token}"


def beat(redis: Redis, worker_id: str, seconds: float) -> None:
    redis.set(_beat_key(worker_id), 1, px=int(seconds * 3000))


def renew_and_reclaim(redis: Redis, worker_id: str, lock_ms: int, inbound_queue) -> int:
    """Extend our chats' locks; free and re-queue the chats of dead workers. Return how many were taken over."""
    taken = 0
    for chat_raw, value_raw in redis.hgetall(CLAIMS).items():
        chat, value = chat_raw.decode(), value_raw.decode()
        owner, _, token = value.partition("|")
        lock = redis_key("lock", chat)
        if owner == worker_id:
            redis.eval(EXTEND_IF, 1, lock, token, lock_ms)
            continue
        if redis.exists(_beat_key(owner)):
            continue
        redis.eval(_DELETE_IF, 1, lock, token)
        if redis.eval(_HDEL_IF, 1, CLAIMS, chat, value):
            kick_chat(inbound_queue, chat)
            taken += 1
    if taken:
        log.warning("took over %d chat(s) of a worker that stopped beating", taken)
        metrics.incr(redis, "chats_reclaimed_total", taken)
    return taken


def sweep(redis: Redis, sessions, inbound_queue, after_seconds: int) -> int:
    """Queue recorded inbound events nobody is processing; return how many chats were kicked."""
    with sessions() as session:
        rows = list_unprocessed(session, utcnow() - timedelta(seconds=after_seconds))
    kicked: set[str] = set()
    # The chats waiting their turn, read once: under a broadcast's backlog most unprocessed messages are
    # on this list, and a job queued for each was 3 ms of RQ bookkeeping on workers already behind. A chat
    # a killed worker had taken off the list, and not yet locked, is not on it: swept as before.
    ready = {raw.decode() for raw in redis.lrange(ready_key(inbound_queue), 0, -1)} if rows else set()
    for inbound_id, chat in rows:
        if chat in kicked or redis.exists(redis_key("lock", chat)):
            continue  # a live worker holds the chat and drains its inbox
        inbox, processing = redis_key("inbox", chat), redis_key("processing", chat)
        waiting = redis.lpos(inbox, inbound_id) is not None
        if waiting and chat in ready:
            continue  # a backlog, not a loss: the next free job takes it
        if not waiting and redis.lpos(processing, inbound_id) is None:
            redis.rpush(inbox, inbound_id)
        kicked.add(chat)
    for chat in kicked:
        job_id = "sweep-" + redis_key("chat", chat).rsplit(":", 1)[-1]
        job = inbound_queue.fetch_job(job_id)
        if job is None or job.get_status(refresh=True) not in ("queued", "started", "scheduled", "deferred"):
            kick_chat(inbound_queue, chat, job_id=job_id)
    if kicked:
        log.warning("sweeper queued unprocessed inbound of %d chat(s)", len(kicked))
        metrics.incr(redis, "inbound_swept_total", len(kicked))
    return len(kicked)


class Keeper(threading.Thread):
    """The worker's heartbeat thread: beat, renew, reclaim; a second thread sweeps (see the module docstring).

    The sweep asks the database, which may hang up to its timeout in an outage;
    it runs apart so that the beat is never late (a late beat would make the
    other workers take over chats this worker is still handling).
    """

    def __init__(self, rt, worker_id: str):
        super().__init__(name="loket-heartbeat", daemon=True)
        self.rt, self.worker_id = rt, worker_id
        self.stopping = threading.Event()
        self.sweeper = threading.Thread(target=self._sweep_forever, name="loket-sweeper", daemon=True)

    def run(self) -> None:
        settings, redis = self.rt.settings, self.rt.redis
        inbound = queue(redis, Queues.INBOUND, settings.queue_prefix)
        self.sweeper.start()
        while not self.stopping.is_set():
            try:
                beat(redis, self.worker_id, settings.heartbeat_seconds)
                renew_and_reclaim(redis, self.worker_id, settings.chat_lock_seconds * 1000, inbound)
            except RedisError as exc:  # an outage: try again next beat
                log.warning("heartbeat failed: %s", type(exc).__name__)
            self.stopping.wait(settings.heartbeat_seconds)

    def _sweep_forever(self) -> None:
        settings, redis = self.rt.settings, self.rt.redis
        inbound = queue(redis, Queues.INBOUND, settings.queue_prefix)
        every = settings.heartbeat_seconds * SWEEP_EVERY_BEATS
        while not self.stopping.wait(every):
            try:  # one worker sweeps per period
                if redis.set("loket:sweeping" + settings.queue_prefix, self.worker_id, nx=True, px=int(every * 900)):
                    sweep(redis, self.rt.sessions, inbound, settings.sweep_after_seconds)
            except (RedisError, SQLAlchemyError, OSError) as exc:
                log.warning("sweep failed: %s", type(exc).__name__)

    def stop(self) -> None:
        self.stopping.set()
        try:
            self.rt.redis.delete(_beat_key(self.worker_id))
        except RedisError:
            pass
