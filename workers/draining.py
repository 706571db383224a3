"""Handle the chats on the ready list, several at once in one process.

A turn spends most of its time waiting: for Twilio's or Telegram's answer to each send (a round trip
from Indonesia to the United States and back, 150 ms and more, where the CPU work of a turn is a few
milliseconds), and for the database. Handling one chat at a time, a worker answers a few chats a second
whatever its CPU; with ``WORKER_THREADS`` threads the waits overlap. Each chat is still handled by one
thread at a time, in order, under its lock (``workers.conversation.process_chat``), exactly as it is
across processes: threads of one process are just more holders of the same locks.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from redis import Redis

log = logging.getLogger("loket.worker")
LINGER_SECONDS = 0.1  # how long an idle thread waits for a ready chat while a sibling is in a turn


def drain(redis: Redis, ready: str, handle: Callable[[str], int], deadline: float, threads: int,
          on_failure: Callable[[str], None]) -> int:
    """``handle`` each chat popped from ``ready`` until it is empty or ``deadline`` passed; messages handled.

    A chat whose ``handle`` raises is passed to ``on_failure`` (the caller queues it on its own) and the
    drain goes on. With more than one thread, the threads share the list.
    """
    if threads <= 1:
        return _drain(redis, ready, handle, deadline, on_failure, None)
    together = _Together()
    pool = _turn_pool(threads)
    return sum(pool.map(lambda _n: _drain(redis, ready, handle, deadline, on_failure, together), range(threads)))


def _drain(redis: Redis, ready: str, handle: Callable[[str], int], deadline: float,
           on_failure: Callable[[str], None], together: "_Together | None") -> int:
    """One thread's loop. With ``together``, an empty list is waited on while a sibling is in a turn: a
    chat that becomes ready meanwhile is taken at once, not left until this job ends. Once no thread is
    in a turn the job ends, and the next chat to become ready queues a new one (bot.queues)."""
    handled = 0
    while time.monotonic() <= deadline:
        raw = redis.lpop(ready)
        if raw is None:
            if together is None or not together.busy:
                return handled
            popped = redis.blpop([ready], timeout=LINGER_SECONDS)
            if popped is None:
                continue
            raw = popped[1]
        chat = raw.decode()
        with together or contextlib.nullcontext():
            try:
                handled += handle(chat)
            except Exception as exc:
                log.warning("a ready chat failed (%s); retried in a job of its own", type(exc).__name__)
                on_failure(chat)
    return handled


class _Together:
    """How many of a job's threads are in a turn (a context manager around each turn)."""

    def __init__(self):
        self.busy = 0
        self._guard = threading.Lock()

    def __enter__(self):
        with self._guard:
            self.busy += 1

    def __exit__(self, *exc):
        with self._guard:
            self.busy -= 1


_pool: tuple[int, int, ThreadPoolExecutor] | None = None
_pool_guard = threading.Lock()


def _turn_pool(threads: int) -> ThreadPoolExecutor:
    """The process's turn threads, started once (again in a forked child, or for another count)."""
    global _pool
    with _pool_guard:
        if _pool is None or _pool[:2] != (os.getpid(), threads):
            _pool = (os.getpid(), threads, ThreadPoolExecutor(threads, thread_name_prefix="loket-turn"))
        return _pool[2]
