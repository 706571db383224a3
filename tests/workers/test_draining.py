"""One worker process has several chats in turns at once (``WORKER_THREADS``), each chat still in order.

Twilio answers a send after a round trip across the Pacific; the fake here answers after 0.3 s. A
worker that handled one chat at a time waited for each answer before starting on the next chat.
"""
from __future__ import annotations

import contextlib
import threading
import time

import pytest

from bot.queues import enqueue_inbound, linger_for, lingering_key, queue, ready_key, redis_key
from workers import draining

CITIZENS = [f"whatsapp:+62812555000{i:02d}" for i in range(6)]


@pytest.fixture
def database_url(both_databases):
    """Threads share a process's connection pool: SQLite's file locks and PostgreSQL's pool alike."""
    return both_databases


@pytest.fixture
def slow_twilio(loket):
    loket.fake_twilio.latency = 0.3
    yield loket.fake_twilio
    loket.fake_twilio.latency = 0.0


def _everyone_says(loket, text):
    for citizen in CITIZENS:
        assert loket.whatsapp(text, from_=citizen).status_code == 200


def test_one_worker_waits_for_several_chats_answers_at_once(loket, slow_twilio):
    loket.runtime.settings = loket.runtime.settings.with_(worker_threads=4)
    _everyone_says(loket, "halo")
    loket.work()  # one worker process, in this one
    assert [len(loket.whatsapp_bodies(c)) for c in CITIZENS] == [1] * len(CITIZENS)  # each answered once
    assert slow_twilio.most_in_flight > 1  # the sends overlapped
    assert slow_twilio.most_in_flight <= 4  # and no more of them than there are threads


def test_with_one_thread_a_worker_sends_one_at_a_time(loket, slow_twilio):
    loket.runtime.settings = loket.runtime.settings.with_(worker_threads=1)
    _everyone_says(loket, "halo")
    loket.work()
    assert [len(loket.whatsapp_bodies(c)) for c in CITIZENS] == [1] * len(CITIZENS)
    assert slow_twilio.most_in_flight == 1


def test_each_chat_keeps_its_order_while_the_threads_share_the_chats(loket, slow_twilio):
    """Every citizen asks two questions before the worker runs: the threads take chats from one list, and
    each chat's answers still come in the order asked, once each."""
    loket.runtime.settings = loket.runtime.settings.with_(worker_threads=4)
    slow_twilio.latency = 0.05
    _everyone_says(loket, "halo")
    _everyone_says(loket, "biaya konsultasi")
    _everyone_says(loket, "syarat konsultasi")
    loket.work()
    for citizen in CITIZENS:
        bodies = loket.whatsapp_bodies(citizen)
        assert len(bodies) == 3, (citizen, bodies)
        assert bodies[1].startswith("*Biaya") and bodies[2].startswith("*Persyaratan"), (citizen, bodies)


class Turns:
    """A ``handle`` for ``draining.drain`` that counts how many turns run at once (``most``).

    Each turn takes 0.05 s: waiting for a platform's answer (``waiting``) or computing. ``failing``
    raises, as a bad message would; ``seen`` notes how many chats were still on the list at each start.
    """

    def __init__(self, redis, ready: str, *, waiting: bool, failing: str | None = None):
        self.redis, self.ready, self.waiting, self.failing = redis, ready, waiting, failing
        self.now = self.most = 0
        self.handled, self.seen = [], []
        self.guard = threading.Lock()

    def __call__(self, chat: str) -> int:
        with self.guard:
            self.now += 1
            self.most = max(self.most, self.now)
            self.seen.append(self.redis.llen(self.ready))
        try:
            with draining.waiting() if self.waiting else contextlib.nullcontext():
                time.sleep(0.05)
            if chat == self.failing:
                raise RuntimeError("a bad message")
            with self.guard:
                self.handled.append(chat)
            return 1
        finally:
            with self.guard:
                self.now -= 1


def test_a_failing_chat_is_handed_back_and_the_others_are_handled(redis):
    """``draining.drain`` on its own: every chat on the list is handled once, one that raises goes to
    ``on_failure`` (its own job, in the worker), and no more chats are in turns at once than threads."""
    ready = "loket:ready:test-draining"
    chats = [f"chat-{n}" for n in range(12)]
    redis.rpush(ready, *chats)
    failed = []
    turns = Turns(redis, ready, waiting=True, failing="chat-5")  # a send's wait
    total = draining.drain(redis, ready, turns, time.monotonic() + 30, 3, on_failure=failed.append)
    assert total == 11 and sorted(turns.handled) == sorted(set(chats) - {"chat-5"})
    assert failed == ["chat-5"]
    assert 1 < turns.most <= 3
    assert redis.llen(ready) == 0 and not redis.keys(ready + ":wake:*")  # the job's wake list is gone


def test_turns_that_keep_computing_leave_the_next_chat_to_another_process(redis):
    """Turns that never wait for a platform hold their computing slots: the drain takes no more chats
    than ``COMPUTING`` at once, and the rest stay on the list, where another worker process can take them."""
    ready = "loket:ready:test-computing"
    redis.rpush(ready, *[f"chat-{n}" for n in range(8)])
    turns = Turns(redis, ready, waiting=False)  # work that is not a wait for a platform's answer
    assert draining.drain(redis, ready, turns, time.monotonic() + 30, 8, on_failure=print) == 8
    assert turns.most <= draining.COMPUTING
    assert max(turns.seen) >= 8 - draining.COMPUTING  # the others waited on the list, not in this process


def test_a_redis_failure_between_turns_gives_the_computing_slot_back(redis):
    """Redis going away while a chat is being taken fails the job (RQ runs it again), and leaves this
    process's computing slots as they were: the next drain still computes ``COMPUTING`` turns at once."""
    from redis.exceptions import ConnectionError as RedisConnectionError
    ready = "loket:ready:test-slots"

    class GoneOnce:
        def __init__(self, real):
            self.real, self.failed = real, False

        def lpop(self, key):
            if not self.failed:
                self.failed = True
                raise RedisConnectionError("Redis went away")
            return self.real.lpop(key)

        def __getattr__(self, name):
            return getattr(self.real, name)

    redis.rpush(ready, "chat-a")
    with pytest.raises(RedisConnectionError):
        draining.drain(GoneOnce(redis), ready, lambda chat: 1, time.monotonic() + 30, 4, on_failure=print)
    redis.delete(ready)
    redis.rpush(ready, *[f"chat-{n}" for n in range(6)])
    turns = Turns(redis, ready, waiting=False)
    assert draining.drain(redis, ready, turns, time.monotonic() + 30, 4, on_failure=print) == 6
    assert turns.most == draining.COMPUTING


# ----------------------------------------------------------------------------- lingering between chats
def _lingering_drain(redis, q, turns, *, linger: float, others=()):
    """``drain`` with ``linger`` in a thread, as a long-running worker's drain job, once it lingers; its future."""
    from concurrent.futures import ThreadPoolExecutor
    pool = ThreadPoolExecutor(1)
    result = pool.submit(draining.drain, redis, ready_key(q), turns, time.monotonic() + 60, 4, print,
                         linger=linger, others=others)
    pool.shutdown(wait=False)
    lingering = lingering_key(ready_key(q))
    for _ in range(200):  # until it registers as lingering
        if redis.zcard(lingering):
            return result
        time.sleep(0.02)
    raise AssertionError("the drain never lingered")


def test_a_lingering_job_takes_the_next_chat_and_no_job_is_queued_for_it(redis):
    """A message every few seconds: the job that answered the last one is still there for the next, so
    the webhook's arrival queues no RQ job for it (each costs more CPU than the turn)."""
    q = queue(redis, "test-linger")
    turns = Turns(redis, ready_key(q), waiting=True)
    result = _lingering_drain(redis, q, turns, linger=1.0)
    assert enqueue_inbound(redis, q, "whatsapp:+6281255500001", 1) is True  # made ready ...
    assert q.count == 0  # ... and taken by the lingering job, not by a new one
    assert result.result(timeout=30) == 1 and turns.handled == ["whatsapp:+6281255500001"]
    assert redis.zcard(lingering_key(ready_key(q))) == 0  # gone with the job
    enqueue_inbound(redis, q, "whatsapp:+6281255500002", 2)
    assert q.count == 1  # no job lingers now: the next chat queues one


def test_a_lingering_job_leaves_when_the_worker_has_another_job_waiting(redis):
    """A worker process runs one job at a time: an officer's notice waiting in another queue is not
    held up for the rest of the linger."""
    q = queue(redis, "test-linger-others")
    others = queue(redis, "test-linger-send")
    result = _lingering_drain(redis, q, Turns(redis, ready_key(q), waiting=True), linger=60.0, others=(others.key,))
    others.enqueue("builtins.len", "x")
    assert result.result(timeout=10) == 0  # long before its 60 s
    assert redis.zcard(lingering_key(ready_key(q))) == 0


def test_the_entry_of_a_lingering_job_that_died_lapses(redis):
    """A worker killed while its job lingered stops counting within a second and a half: then an arrival
    queues a job again, as without lingering."""
    q = queue(redis, "test-linger-dead")
    assert linger_for(redis, ready_key(q), "a-job-that-dies", draining.LINGER_LIFE_MS, ())
    assert enqueue_inbound(redis, q, "whatsapp:+6281255500003", 3) is True
    assert q.count == 0  # it would have taken the chat
    redis.delete(redis_key("kicked", "whatsapp:+6281255500003"))  # its job took the chat, then died
    time.sleep(draining.LINGER_LIFE_MS / 1000 + 0.2)
    enqueue_inbound(redis, q, "whatsapp:+6281255500003", 4)
    assert q.count == 1
