"""Take a chat for draining, and let it go, each in one Redis round trip.

Taking a chat looks whether anything waits, takes its lock, clears its kick mark (so a message
appended from then on makes it ready again), records the claim the heartbeat renews and a dead worker's
successor frees (workers/recovery.py), and takes the first message: five steps that were five round
trips per chat. Letting go drops the claim and the lock (only while they are still ours) and says
whether more arrived meanwhile.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from redis import Redis
from redis.commands.core import Script
from redis.exceptions import LockError

from bot.queues import redis_key
from workers.recovery import CLAIMS, EXTEND_IF, claim_value

# KEYS: kicked, inbox, processing, lock, claims. ARGV: lock token, lock ms, chat, claim ("" for none).
# Returns {0} nothing waits, {-2} a watched worker holds the lock, {-1} another holds it, {1, first message
# id or false}. A job that finds the lock held leaves the mark alone: the holder drains what arrives
# meanwhile, and clearing the mark at every look would put the chat on the ready list again for each
# new message.
_TAKE = Script(None, b"""
if redis.call('LLEN', KEYS[2]) == 0 and redis.call('LLEN', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[1])
  return {0}
end
if not redis.call('SET', KEYS[4], ARGV[1], 'NX', 'PX', ARGV[2]) then
  if redis.call('HEXISTS', KEYS[5], ARGV[3]) == 1 then return {-2} end
  return {-1}
end
redis.call('DEL', KEYS[1])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[5], ARGV[3], ARGV[4]) end
local first = redis.call('LINDEX', KEYS[3], 0)
if not first then first = redis.call('LMOVE', KEYS[2], KEYS[3], 'LEFT', 'RIGHT') end
return {1, first}
""")
# KEYS: lock, claims, inbox, kicked. ARGV: lock token, chat, claim. Returns {lock was still ours, inbox
# length}. An empty inbox clears the kick mark with the lock, so the next message makes the chat ready
# again however the jobs that looked meanwhile went; one that waits is the holder's to take (it looks again).
_LET_GO = Script(None, b"""
if ARGV[3] ~= '' and redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[3] then redis.call('HDEL', KEYS[2], ARGV[2]) end
local ours = 0
if redis.call('GET', KEYS[1]) == ARGV[1] then ours = redis.call('DEL', KEYS[1]) end
local waiting = redis.call('LLEN', KEYS[3])
if waiting == 0 then redis.call('DEL', KEYS[4]) end
return {ours, waiting}
""")
_EXTEND = Script(None, EXTEND_IF.encode())  # the heartbeat's renewal (workers/recovery.py), run by its SHA

# BUSY: held by a process no heartbeat watches (a test's, a script's): wait for the lock, which a dead
# holder's expiry frees. HANDLED: held by a worker the heartbeat watches: it drains what waits, or its
# successor does once it stops beating (workers/recovery.py), so a second job has nothing to wait for.
NOTHING, BUSY, HANDLED, TAKEN = 0, -1, -2, 1


@dataclass
class Held:
    """A chat this worker holds: its lock's token and the claim the heartbeat knows it by."""

    chat: str
    token: str
    claim: str
    ttl_ms: int


def take(redis: Redis, chat: str, worker_id: str | None, ttl_seconds: int) -> tuple[int, Held | None, int | None]:
    """(NOTHING | BUSY | HANDLED | TAKEN, the hold when taken, the first message id when there is one)."""
    token = uuid.uuid4().hex
    claim = claim_value(worker_id, token) if worker_id else ""
    ttl_ms = int(ttl_seconds * 1000)
    answer = _TAKE(keys=[redis_key("kicked", chat), redis_key("inbox", chat), redis_key("processing", chat),
                         redis_key("lock", chat), CLAIMS], args=[token, ttl_ms, chat, claim], client=redis)
    if answer[0] != TAKEN:
        return answer[0], None, None
    first = answer[1] if len(answer) > 1 else None
    return TAKEN, Held(chat, token, claim, ttl_ms), int(first) if first else None


def extend(redis: Redis, held: Held) -> None:
    """Renew the lock for another lifetime; LockError if it lapsed and may be another's now."""
    if not _EXTEND(keys=[redis_key("lock", held.chat)], args=[held.token, held.ttl_ms], client=redis):
        raise LockError("the chat's lock was lost")


def let_go(redis: Redis, held: Held) -> tuple[bool, int]:
    """Drop the claim and the lock if still ours; (the lock was still ours, messages in the inbox)."""
    ours, waiting = _LET_GO(keys=[redis_key("lock", held.chat), CLAIMS, redis_key("inbox", held.chat),
                                  redis_key("kicked", held.chat)],
                            args=[held.token, held.chat, held.claim], client=redis)
    return bool(ours), int(waiting)
