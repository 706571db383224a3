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
import uuid
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Callable

from redis import Redis

from bot.queues import linger_for, lingering_key, stop_lingering

log = logging.getLogger("loket.worker")
WAKE_SECONDS = 60  # a job's wake list outlives a job that died without deleting it by this long


def drain(redis: Redis, ready: str, handle: Callable[[str], int], deadline: float, threads: int,
          on_failure: Callable[[str], None], linger: float = 0.0, others: tuple[str, ...] = ()) -> int:
    """``handle`` each chat popped from ``ready`` until it is empty or ``deadline`` passed; messages handled.

    A chat whose ``handle`` raises is passed to ``on_failure`` (the caller queues it on its own) and the
    drain goes on. With more than one thread, this thread hands the chats out: one whenever a thread is
    free and fewer than ``COMPUTING`` turns are computing. So turns that wait for a platform's answer
    make room for more, while a process whose turns keep its CPU busy leaves the next chat on the list
    for another worker process to take. Between chats it waits in Redis (one ``BLPOP``) for whichever
    comes first: a chat made ready or a turn's end, which each turn signals on the job's own wake list.
    With ``linger`` seconds, a job with no turn running and no chat waiting stays that long for the next
    chat before it ends, registered on the lingering set (``bot.queues.lingering_key``), so the webhook
    queues no new job for a chat this one will take. A message every few seconds is then answered by one
    job: RQ's bookkeeping costs 3 ms of CPU a job, as much as the turn itself. It leaves at once when any
    of the RQ queues ``others`` has a job waiting, since a worker process runs one job at a time. Without
    ``linger`` (burst workers, tests) the job ends as soon as no turn runs and no chat waits.
    """
    if threads <= 1:
        return _one_by_one(redis, ready, handle, deadline, on_failure)
    pool, computing = _turn_pool(threads)
    wake = f"{ready}:wake:{uuid.uuid4().hex}"

    def turn(chat: str) -> int:  # runs with a computing slot the dispatcher took for it
        _local.computing = computing
        try:
            return _handle(handle, chat, on_failure)
        finally:
            _local.computing = None
            computing.release()

    over = threading.Lock()  # held while waking; the job's end takes it, so no wake outlives the job
    finished = False

    def ended(_turn: Future) -> None:
        # Called once the turn's future is done, so the dispatcher woken by this finds it done. (Pushed
        # from inside the turn, the wake could come first; the dispatcher then waited its full second.)
        with over:
            if not finished:
                redis.pipeline(transaction=False).rpush(wake, 1).expire(wake, WAKE_SECONDS).execute()

    running: set[Future] = set()
    handled = 0
    lingering, idle_since = lingering_key(ready), None
    try:
        while time.monotonic() <= deadline:
            handled += _collect(running)
            if len(running) >= threads:
                redis.blpop([wake], timeout=1)
                continue
            # Until this process has a turn's worth of CPU to spare.
            if not computing.acquire(timeout=max(0.0, deadline - time.monotonic())):
                break
            held = True
            try:
                raw = redis.lpop(ready)
                if raw is None:
                    computing.release()
                    held = False
                    if not running:
                        idle_since = idle_since or time.monotonic()
                        if not (linger and min(idle_since + linger, deadline) > time.monotonic()
                                and linger_for(redis, ready, wake, LINGER_LIFE_MS, others)):
                            if linger and not stop_lingering(redis, ready, wake):
                                continue  # a chat came while it was registered: take it first
                            break
                    popped = redis.blpop([wake, ready], timeout=LINGER_SLICE if not running else 1)
                    if popped is None or popped[0].decode() == wake:
                        continue
                    raw = popped[1]
                    computing.acquire()
                    held = True
                if linger and idle_since is not None:
                    redis.zrem(lingering, wake)  # busy now: a chat made ready next queues a job again
                idle_since = None
                started = pool.submit(turn, raw.decode())
                running.add(started)
                held = False
                started.add_done_callback(ended)
            except BaseException:
                if held:
                    computing.release()  # the slot taken for a turn that never started
                raise
    finally:
        wait(running)
        with over:
            finished = True
        if linger:
            redis.pipeline(transaction=False).zrem(lingering, wake).delete(wake).execute()
        else:
            redis.delete(wake)
    return handled + _collect(running)


# A lingering job renews its entry every slice; the entry outlives a job that died by at most the grace.
LINGER_SLICE = 0.5
LINGER_GRACE_MS = 1000
LINGER_LIFE_MS = int(LINGER_SLICE * 1000) + LINGER_GRACE_MS

def _collect(running: set[Future]) -> int:
    """Take the finished turns out of ``running``; the messages they handled (a turn's error raises here)."""
    finished = [f for f in running if f.done()]
    running.difference_update(finished)
    return sum(f.result() for f in finished)


def _one_by_one(redis: Redis, ready: str, handle: Callable[[str], int], deadline: float,
                on_failure: Callable[[str], None]) -> int:
    handled = 0
    while time.monotonic() <= deadline and (raw := redis.lpop(ready)) is not None:
        handled += _handle(handle, raw.decode(), on_failure)
    return handled


def _handle(handle: Callable[[str], int], chat: str, on_failure: Callable[[str], None]) -> int:
    try:
        return handle(chat)
    except Exception as exc:
        log.warning("a ready chat failed (%s); retried in a job of its own", type(exc).__name__)
        on_failure(chat)
        return 0


# Turns of one process that compute at once; the others wait for a platform's answer (``waiting``).
# Python runs one thread at a time, so more turns computing side by side only take the interpreter
# from each other. And a process that took every ready chat it had threads for left the other
# processes idle while its own core did all the work. Two let one turn's database and Redis round
# trips overlap another's work.
COMPUTING = 2
_local = threading.local()


@contextlib.contextmanager
def waiting():
    """Around a wait that needs no CPU (a platform's answer to a send, a held chat, a download): another
    turn of this process computes meanwhile. Outside a turn thread it does nothing."""
    computing = getattr(_local, "computing", None)
    if computing is None:
        yield
        return
    computing.release()
    try:
        yield
    finally:
        computing.acquire()


_pool: tuple[int, int, ThreadPoolExecutor, threading.Semaphore] | None = None
_pool_guard = threading.Lock()


def _turn_pool(threads: int) -> tuple[ThreadPoolExecutor, threading.Semaphore]:
    """The process's turn threads and their computing slots, made once (again in a forked child, or for
    another count)."""
    global _pool
    with _pool_guard:
        if _pool is None or _pool[:2] != (os.getpid(), threads):
            _pool = (os.getpid(), threads, ThreadPoolExecutor(threads, thread_name_prefix="loket-turn"),
                     threading.BoundedSemaphore(COMPUTING))
        return _pool[2], _pool[3]
