"""Conversation state in Redis, one JSON document per chat, expiring after a quiet period."""
from __future__ import annotations

import json
from typing import Callable

from redis import Redis
from redis.commands.core import Script

from bot.queues import redis_key

TURN_SECONDS = 24 * 3600  # how long a turn's starting state is kept for a re-run

# KEYS: the turn's starting state, the chat's state. ARGV: seconds to keep the first, and "1" when
# there is nothing to fall back on (a chat with no state then starts from none, recorded here).
# Returns {1, starting state} for a re-run, {0, state} for a first run (now recorded as its start),
# {0} when Redis has no state for the chat (the caller looks in SQL and records it itself).
_START = Script(None, b"""
local turn = redis.call('GET', KEYS[1])
if turn then return {1, turn} end
local state = redis.call('GET', KEYS[2])
if not state then
  if ARGV[2] ~= '1' then return {0} end
  state = 'null'
end
redis.call('SET', KEYS[1], state, 'EX', ARGV[1])
return {0, state}
""")


class StateStore:
    def __init__(self, redis: Redis, ttl_seconds: int):
        self.redis, self.ttl = redis, ttl_seconds

    def get(self, chat: str) -> dict | None:
        raw = self.redis.get(redis_key("state", chat))
        return json.loads(raw) if raw else None

    def put(self, chat: str, state: dict) -> None:
        """Keep ``state`` for the quiet period, or longer when the flow asked (``keep_seconds``)."""
        ttl = max(self.ttl, int(state.get("keep_seconds") or 0))
        self.redis.set(redis_key("state", chat), json.dumps(state, ensure_ascii=False), ex=ttl)

    def start_turn(self, chat: str, inbound_id: int, fallback: Callable[[], dict | None] | None) -> dict | None:
        """The state message ``inbound_id`` starts from, in one round trip when Redis has it.

        A re-run gets the state as it was before the message was first handled (``before_turn``); a
        first run gets the chat's current state (``fallback()`` when Redis has none) and records it so.
        ``fallback`` None says no copy can exist elsewhere (a first contact): one round trip then too.
        """
        key = f"loket:turn:{inbound_id}"
        found = _START(keys=[key, redis_key("state", chat)], args=[TURN_SECONDS, "0" if fallback else "1"],
                       client=self.redis)
        if len(found) == 2:
            return json.loads(found[1])
        return self.before_turn(chat, inbound_id, fallback())

    def before_turn(self, chat: str, inbound_id: int, state: dict | None) -> dict | None:
        """The state as it was before message ``inbound_id`` was first handled.

        A worker killed halfway leaves the saved state possibly advanced; a
        re-run must start from the same state so it makes the same decisions
        (and the idempotent effects and replies line up).
        """
        key = f"loket:turn:{inbound_id}"
        if self.redis.set(key, json.dumps(state), nx=True, ex=TURN_SECONDS):
            return state  # recorded now: this is the first run
        raw = self.redis.get(key)
        return json.loads(raw) if raw else state

    def turn_done(self, inbound_id: int, pipe=None) -> None:
        """Forget the turn's starting state (on ``pipe``, a pipeline the caller executes, if given)."""
        (pipe if pipe is not None else self.redis).delete(f"loket:turn:{inbound_id}")
