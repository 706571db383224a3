"""Chats with messages waiting go on one ready list; a few waiting jobs drain it, however many arrive."""
import pytest

from workers.conversation import process_chat
from bot.queues import DRAIN_JOBS_WAITING, Queues, enqueue_inbound, queue, ready_key, redis_key

CHAT = "whatsapp:+6281234567890"


def test_messages_waiting_for_one_job_queue_no_second(redis):
    q = queue(redis, Queues.INBOUND)
    assert enqueue_inbound(redis, q, CHAT, 1) is True
    assert enqueue_inbound(redis, q, CHAT, 2) is False  # the chat is ready already: the waiting job takes it
    assert enqueue_inbound(redis, q, "whatsapp:+6289999999999", 3) is True  # another chat: ready too
    assert q.count == 2
    assert redis.lrange(redis_key("inbox", CHAT), 0, -1) == [b"1", b"2"]  # in order
    assert redis.lrange(ready_key(q), 0, -1) == [CHAT.encode(), b"whatsapp:+6289999999999"]


def test_a_burst_of_chats_queues_only_a_few_jobs(redis):
    """A broadcast brings a thousand chats in a minute: the jobs waiting drain them all, one job per chat
    would only be RQ's overhead a thousand times."""
    q = queue(redis, Queues.INBOUND)
    for n in range(50):
        enqueue_inbound(redis, q, f"whatsapp:+62811{n:07d}", n + 1)
    assert q.count == DRAIN_JOBS_WAITING
    assert redis.llen(ready_key(q)) == 50


def test_a_burst_is_answered_in_order_by_the_few_jobs(loket):
    chats = [f"whatsapp:+62812{n:07d}" for n in range(12)]
    for number in chats:
        loket.whatsapp("halo", from_=number)
        loket.whatsapp("berapa biayanya", from_=number)
    loket.whatsapp("halo")
    loket.whatsapp("berapa biayanya")
    q = queue(loket.redis, Queues.INBOUND, loket.settings.queue_prefix)
    assert q.count == DRAIN_JOBS_WAITING
    loket.work()
    alone = loket.whatsapp_bodies()
    assert any("biaya" in body.lower() for body in alone[1:])  # greeted, then told the fee
    for number in chats:  # each burst chat got the same conversation, in order, each reply once
        assert loket.whatsapp_bodies(to=number) == alone


def test_a_redelivery_queues_a_job_even_when_the_chat_is_marked(redis):
    """The first delivery may have set the mark and then failed to queue (Redis went away): 503, and
    the platform's retry must not find the chat marked and queue nothing."""
    q = queue(redis, Queues.INBOUND)
    redis.set(redis_key("kicked", CHAT), 1)
    assert enqueue_inbound(redis, q, CHAT, 1, always=True) is True
    assert q.count == 1


def test_the_counter_goes_in_the_same_round_trip(redis):
    enqueue_inbound(redis, queue(redis, Queues.INBOUND), CHAT, 1, count=("inbound_messages_total", {"channel": "x"}))
    assert redis.hget("loket:metrics", 'inbound_messages_total{channel="x"}') == b"1"


def test_a_message_after_the_job_started_queues_its_own(loket, monkeypatch):
    """The job clears the chat's mark as it takes the chat, so a later message is never stranded."""
    from workers import conversation
    loket.whatsapp("halo")
    loket.whatsapp("1")
    q = queue(loket.redis, Queues.INBOUND, loket.settings.queue_prefix)
    assert q.count == 1
    seen = []
    real = conversation._handle_or_give_up

    def arrive_meanwhile(rt, inbound_id, *rest):
        # The first message is being handled: a third one arrives at that moment.
        if not seen:
            seen.append(loket.whatsapp("2").status_code)
        return real(rt, inbound_id, *rest)

    monkeypatch.setattr(conversation, "_handle_or_give_up", arrive_meanwhile)
    q.empty()
    loket.redis.delete(ready_key(q))
    assert process_chat("whatsapp:" + "+6281234567890") == 3  # the running job drains all three
    assert seen == [200]
    assert q.count == 1 and loket.redis.llen(ready_key(q)) == 1  # and the third made the chat ready again
    loket.work()  # ... for a job that finds nothing left
    bodies = loket.whatsapp_bodies()
    assert len(bodies) == len(set(bodies)) and bodies  # every reply once


@pytest.mark.parametrize("holder", ["worker-1", None])
def test_a_job_finding_a_held_chat_does_not_make_it_ready_again(redis, holder):
    """While one worker handles a chat, a second job for it leaves the chat's mark alone: the holder
    drains what arrives meanwhile, and the chat is not put on the ready list for each message. A holder
    the heartbeat watches (a claim) is left to it (HANDLED); any other is waited for (BUSY)."""
    from workers import chat_lock
    q = queue(redis, Queues.INBOUND)
    enqueue_inbound(redis, q, CHAT, 1)
    state, held, first = chat_lock.take(redis, CHAT, holder, 30)
    assert (state, first) == (chat_lock.TAKEN, 1)
    enqueue_inbound(redis, q, CHAT, 2)  # after the holder took it: ready again, for a job of its own
    for n in range(3):
        assert chat_lock.take(redis, CHAT, "worker-2", 30)[0] == (chat_lock.HANDLED if holder else chat_lock.BUSY)
        enqueue_inbound(redis, q, CHAT, 3 + n)
    assert redis.lrange(ready_key(q), 0, -1) == [CHAT.encode()] * 2
    assert chat_lock.let_go(redis, held) == (True, 4)  # and the holder sees the four that arrived


def test_letting_go_of_a_drained_chat_lets_the_next_message_make_it_ready(redis):
    """A job that found the chat held went away without clearing the mark; the holder, letting go with
    nothing left, clears it, so the next message is not left waiting for the mark to expire."""
    from workers import chat_lock
    q = queue(redis, Queues.INBOUND)
    enqueue_inbound(redis, q, CHAT, 1)
    redis.delete(ready_key(q))
    _state, held, _first = chat_lock.take(redis, CHAT, "worker-1", 30)
    enqueue_inbound(redis, q, CHAT, 2)  # arrives meanwhile: marked and made ready
    assert chat_lock.take(redis, CHAT, "worker-2", 30)[0] == chat_lock.HANDLED  # that job leaves it
    redis.delete(ready_key(q))
    redis.lmove(redis_key("inbox", CHAT), redis_key("processing", CHAT), "LEFT", "RIGHT")  # the holder takes 2
    redis.delete(redis_key("processing", CHAT))  # ... and finishes it
    assert chat_lock.let_go(redis, held) == (True, 0)
    assert enqueue_inbound(redis, q, CHAT, 3) is True
    assert redis.lrange(ready_key(q), 0, -1) == [CHAT.encode()]  # the third makes the chat ready again
