"""The Redis-shared send limits on their own: per-chat spacing, the sliding overall window, both at once."""
from __future__ import annotations

import threading
import time

from redis import Redis

from bot.ops import ratelimit


from tests.fakes.telegram_api import _max_in_window as max_in_window


def test_one_chat_is_spaced(redis):
    grants = []
    for _ in range(3):
        ratelimit.wait_for_chat(redis, "tg:1", 0.3)
        grants.append(time.monotonic())
    assert min(b - a for a, b in zip(grants, grants[1:])) >= 0.29
    assert 0 < redis.pttl("loket:rate:chat:tg:1") <= 1500  # expires on its own (interval + 1 s)


def test_chats_are_independent(redis):
    ratelimit.wait_for_chat(redis, "tg:1", 5.0)
    started = time.monotonic()
    ratelimit.wait_for_chat(redis, "tg:2", 5.0)
    assert time.monotonic() - started < 0.1


def test_overall_window_slides_across_a_second_boundary(redis_url):
    """45 grants at 30/s from three connections, started at x.85 s: no second (of any start) sees more than 30.

    A window keyed by the current second (the first version) let 30 through at x.85 and 30 more at x+1.0.
    """
    grants: list[float] = []
    lock = threading.Lock()

    def worker():
        conn = Redis.from_url(redis_url)
        try:
            for _ in range(15):
                ratelimit.wait_for_global(conn, "test", 30)
                with lock:
                    grants.append(time.monotonic())
        finally:
            conn.close()

    while time.time() % 1.0 < 0.85:
        time.sleep(0.005)
    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert len(grants) == 45
    assert max_in_window(grants, 0.99) <= 30
    assert max(grants) - min(grants) >= 0.95


def test_chat_spacing_holds_when_the_overall_limit_made_a_send_wait(redis):
    """Both limits are granted together: waiting for the overall slot does not eat into the chat's spacing."""
    for _ in range(5):
        ratelimit.wait_for_global(redis, "tg", 5)  # the overall budget is spent by other chats
    ratelimit.wait_for_send(redis, "chat-a", 0.5, "tg", 5)
    first = time.monotonic()  # waited ~1 s for the overall window
    ratelimit.wait_for_send(redis, "chat-a", 0.5, "tg", 5)
    assert time.monotonic() - first >= 0.49


def test_a_limit_never_blocks_past_its_timeout(redis):
    ratelimit.wait_for_global(redis, "tiny", 1)
    started = time.monotonic()
    ratelimit.wait_for_global(redis, "tiny", 1, timeout=0.2)
    assert 0.15 <= time.monotonic() - started < 0.5


def test_a_chat_waiting_for_its_spacing_holds_up_no_other_chat_on_the_same_event_loop(redis):
    """Every Telegram send of a process runs on one event loop (bot/channels/telegram/session.py). A chat
    waiting out its spacing must leave that loop to the other chats' sends, as a worker's threads each
    hand it theirs."""
    import asyncio
    ratelimit.wait_for_chat(redis, "tg:busy", 0.5)  # this chat just got a message: its next waits
    finished = []

    async def send(chat):
        await ratelimit.wait_for_send_async(redis, chat, 0.5, "tg-loop", 30)
        finished.append(chat)

    async def both():
        await asyncio.gather(send("tg:busy"), send("tg:free"))

    asyncio.run(both())
    assert finished == ["tg:free", "tg:busy"]
