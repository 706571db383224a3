"""Send-rate limits shared by every worker process through Redis.

Telegram allows about one message per second per chat and thirty per second
overall; Twilio queues beyond its sender rate. ``AIORateLimiter`` only sees
one process, so the limit lives in Redis.

Both limits are decided by one Lua script, atomically, on Redis's clock (so
processes on different machines agree on "now"):

* per chat: the time of the chat's last granted send is kept; the next send
  is granted ``min_interval`` seconds after it;
* overall: a sliding one-second log (a sorted set of grant times). A fixed
  window keyed by the current second would let 2 x ``per_second`` sends
  through around a second boundary (a burst at x.9 s and another at x+1.0 s),
  which Telegram counts as one second.

A send that needs both (Telegram) takes both in the same script: a caller
that waited for the overall limit never sends to a chat sooner than
``min_interval`` after the chat's previous message.
"""
from __future__ import annotations

import asyncio
import hashlib
import time
import uuid

from redis import Redis
from redis.exceptions import NoScriptError

CHAT_PREFIX = "loket:rate:chat:"
GLOBAL_PREFIX = "loket:rate:global:"
WINDOW = 1.0  # seconds of the overall sliding window
# The platform counts messages when they arrive, we count them when we grant them: a message
# granted early but delayed on its way (thread scheduling, network) lands closer to the next one.
# Spacing grants 5 % wider than the limits keeps tens of milliseconds of such jitter inside them.
SAFETY = 1.05

# KEYS[1] chat key, KEYS[2] global sorted set.
# ARGV[1] chat interval (us, 0 = no chat limit), ARGV[2] overall limit (0 = none),
# ARGV[3] window (us), ARGV[4] a unique member for the sorted set.
# Returns 0 when granted (and records the grant), else microseconds to wait.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local wait = 0
if interval > 0 then
  local last = tonumber(redis.call('GET', KEYS[1]) or '')
  if last and last + interval - now > wait then wait = last + interval - now end
end
if limit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', string.format('%.0f', now - window))
  if redis.call('ZCARD', KEYS[2]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    local w = tonumber(oldest[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return math.floor(wait) + 1 end
if interval > 0 then
  redis.call('SET', KEYS[1], string.format('%.0f', now), 'PX', math.floor(interval / 1000) + 1000)
end
if limit > 0 then
  redis.call('ZADD', KEYS[2], string.format('%.0f', now), ARGV[4])
  redis.call('PEXPIRE', KEYS[2], math.floor(window / 1000) + 1000)
end
return 0
"""


_ACQUIRE_SHA = hashlib.sha1(_ACQUIRE.encode()).hexdigest()


def _run(redis: Redis, keys: list[str], *args):
    """The script by its SHA (Redis keeps it compiled); sent whole only when Redis does not know it yet."""
    try:
        return redis.evalsha(_ACQUIRE_SHA, len(keys), *keys, *args)
    except NoScriptError:
        return redis.eval(_ACQUIRE, len(keys), *keys, *args)


def _pauses(redis: Redis, chat_key: str | None, min_interval: float, name: str | None, per_second: int,
            timeout: float):
    """Ask until both limits allow one send, yielding each pause to wait before asking again.

    Ends when the send is granted or ``timeout`` passed (then it goes anyway). The caller sleeps
    each pause: the threads' way (``time.sleep``) or, on an event loop that other sends share,
    ``asyncio.sleep`` (``wait_for_send_async``), which lets those sends go meanwhile.
    """
    interval_us = int(min_interval * SAFETY * 1_000_000) if chat_key else 0
    limit = int(per_second) if name else 0
    window_us = int(WINDOW * SAFETY * 1_000_000)
    keys = [CHAT_PREFIX + (chat_key or "-"), GLOBAL_PREFIX + (name or "-")]
    deadline = time.monotonic() + timeout
    while True:
        wait_us = int(_run(redis, keys, interval_us, limit, window_us, uuid.uuid4().hex))
        if wait_us <= 0:
            return
        left = deadline - time.monotonic()
        if left <= 0:
            return
        yield min(max(wait_us / 1_000_000, 0.001), left)


def _acquire(redis: Redis, chat_key: str | None, min_interval: float, name: str | None, per_second: int,
             timeout: float) -> None:
    for pause in _pauses(redis, chat_key, min_interval, name, per_second, timeout):
        time.sleep(pause)


def wait_for_chat(redis: Redis, key: str, min_interval: float, timeout: float = 30.0) -> None:
    """Block until this chat may receive its next message (at most one per ``min_interval``)."""
    _acquire(redis, key, min_interval, None, 0, timeout)


def wait_for_global(redis: Redis, name: str, per_second: int, timeout: float = 30.0) -> None:
    """Block until fewer than ``per_second`` sends for ``name`` were granted in the last second."""
    _acquire(redis, None, 0.0, name, per_second, timeout)


def wait_for_send(redis: Redis, chat_key: str, min_interval: float, name: str, per_second: int,
                  timeout: float = 30.0) -> None:
    """Both limits at once: the chat's spacing and the overall rate, granted together."""
    _acquire(redis, chat_key, min_interval, name, per_second, timeout)


async def wait_for_send_async(redis: Redis, chat_key: str, min_interval: float, name: str, per_second: int,
                              timeout: float = 30.0) -> None:
    """``wait_for_send`` on an event loop: a chat waiting for its spacing holds up no other chat's send."""
    for pause in _pauses(redis, chat_key, min_interval, name, per_second, timeout):
        await asyncio.sleep(pause)
