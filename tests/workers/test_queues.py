"""A chat's inbox gets one waiting drain job, however many messages arrive before it starts."""
from workers.conversation import process_chat
from bot.queues import Queues, enqueue_inbound, queue, redis_key

CHAT = "whatsapp:+6281234567890"


def test_messages_waiting_for_one_job_queue_no_second(redis):
    q = queue(redis, Queues.INBOUND)
    assert enqueue_inbound(redis, q, CHAT, 1) is True
    assert enqueue_inbound(redis, q, CHAT, 2) is False  # the waiting job will drain it too
    assert enqueue_inbound(redis, q, "whatsapp:+6289999999999", 3) is True  # another chat: its own job
    assert q.count == 2
    assert redis.lrange(redis_key("inbox", CHAT), 0, -1) == [b"1", b"2"]  # in order


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


def test_a_message_after_the_job_started_queues_its_own(loket):
    """The job clears the chat's mark before it looks at the inbox, so a later message is never stranded."""
    loket.whatsapp("halo")
    loket.whatsapp("1")
    q = queue(loket.redis, Queues.INBOUND, loket.settings.queue_prefix)
    assert q.count == 1
    seen = []
    real = loket.redis.lmove

    def arrive_meanwhile(*args, **kwargs):
        # The first message is being taken from the inbox: a third one arrives at that moment.
        if not seen:
            seen.append(loket.whatsapp("2").status_code)
        return real(*args, **kwargs)

    loket.redis.lmove = arrive_meanwhile
    try:
        q.empty()
        assert process_chat("whatsapp:" + "+6281234567890") == 3  # the running job drains all three
    finally:
        del loket.redis.lmove
    assert seen == [200]
    assert q.count == 1  # and the third queued a job of its own, which finds nothing left
    loket.work()
    bodies = loket.whatsapp_bodies()
    assert len(bodies) == len(set(bodies)) and bodies  # every reply once
