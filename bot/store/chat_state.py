"""Conversation state in Redis, one JSON document per chat, expiring after a quiet period."""
from __future__ import annotations

import json

from redis import Redis

from bot.queues import redis_key


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

    def before_turn(self, chat: str, inbound_id: int, state: dict | None) -> dict | None:
        """The state as it was before message ``inbound_id`` was first handled.

        A worker killed halfway leaves the saved state possibly advanced; a
        re-run must start from the same state so it makes the same decisions
        (and the idempotent effects and replies line up).
        """
        key = f"loket:turn:{inbound_id}"
        self.redis.set(key, json.dumps(state), nx=True, ex=24 * 3600)
        raw = self.redis.get(key)
        return json.loads(raw) if raw else state

    def turn_done(self, inbound_id: int) -> None:
        self.redis.delete(f"loket:turn:{inbound_id}")
