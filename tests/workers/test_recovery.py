"""A dead worker's chats are taken over within a beat; the sweeper queues what a lost job left."""
from __future__ import annotations

from workers import recovery
from bot.queues import Queues, queue, ready_key, redis_key

CHAT = "whatsapp:+6281234567890"


def claim(redis, worker_id: str, chat: str, token) -> None:
    """The claim a worker records when it takes ``chat``'s lock with ``token`` (workers/chat_lock.py)."""
    redis.hset(recovery.CLAIMS, chat, recovery.claim_value(worker_id, token))


def test_a_dead_workers_chat_is_freed_and_queued_a_live_ones_kept(redis):
    inbound = queue(redis, Queues.INBOUND)
    lock = redis_key("lock", CHAT)
    redis.set(lock, "dead-token", px=30000)
    claim(redis, "dead-worker", CHAT, b"dead-token")  # no heartbeat: it was SIGKILLed
    recovery.beat(redis, "live-worker", 1.0)
    other = "telegram:700000001"
    redis.set(redis_key("lock", other), "live-token", px=30000)
    claim(redis, "live-worker", other, "live-token")

    assert recovery.renew_and_reclaim(redis, "third-worker", 30000, inbound) == 1
    assert not redis.exists(lock)  # freed for the next worker
    assert [job.args for job in inbound.jobs] == [(CHAT,)]  # and the chat queued
    assert redis.exists(redis_key("lock", other)) and redis.hexists(recovery.CLAIMS, other)
    assert recovery.renew_and_reclaim(redis, "third-worker", 30000, inbound) == 0  # once


def test_a_live_worker_renews_its_own_locks(redis):
    lock = redis_key("lock", CHAT)
    redis.set(lock, "mine", px=1000)
    claim(redis, "me", CHAT, "mine")
    recovery.renew_and_reclaim(redis, "me", 60000, queue(redis, Queues.INBOUND))
    assert redis.pttl(lock) > 50000


def test_a_lock_taken_over_by_someone_else_is_not_deleted(redis):
    lock = redis_key("lock", CHAT)
    claim(redis, "dead-worker", CHAT, "old-token")
    redis.set(lock, "new-holders-token", px=30000)  # the lock expired and another worker took it
    recovery.renew_and_reclaim(redis, "third-worker", 30000, queue(redis, Queues.INBOUND))
    assert redis.get(lock) == b"new-holders-token"


def test_the_sweeper_skips_a_chat_a_live_worker_holds(loket):
    loket.whatsapp("halo")
    inbound = queue(loket.redis, Queues.INBOUND)
    loket.redis.delete(*loket.redis.keys("loket:inbox:*"))
    loket.redis.set(redis_key("lock", CHAT), "busy", px=30000)
    assert recovery.sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 0
    loket.redis.delete(redis_key("lock", CHAT))
    assert recovery.sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 1
    loket.work()
    assert loket.whatsapp_bodies()


def test_the_sweeper_leaves_a_backlog_to_the_ready_list(loket):
    """Under a broadcast's backlog, messages wait longer than the sweep's age without being lost: each
    is in its chat's inbox and the chat on the ready list. The sweep queues no job for them; it queues one
    once the chat is off the list with nobody holding it (a worker took it and was killed before its
    lock), though the chat's ready mark still stands."""
    loket.whatsapp("halo")
    inbound = queue(loket.redis, Queues.INBOUND)
    jobs = inbound.count
    assert loket.redis.exists(redis_key("kicked", CHAT))
    assert recovery.sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 0
    assert inbound.count == jobs
    loket.redis.delete(ready_key(inbound))
    assert loket.redis.exists(redis_key("kicked", CHAT))
    assert recovery.sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 1
    loket.work()
    assert len(loket.whatsapp_bodies()) == 1
