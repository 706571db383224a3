"""What a worker process needs, built once per process from the settings (never at import)."""
from __future__ import annotations

from dataclasses import dataclass, field

from redis import Redis
from sqlalchemy.orm import sessionmaker

from bot.agency import calendar_for
from bot.calendar import WorkingCalendar
from bot.content import Pack
from bot.content_cache import current_pack
from bot.db import make_engine, make_session_factory
from bot.settings import Settings
from workers.senders import Sender, make_senders


@dataclass
class Runtime:
    settings: Settings
    redis: Redis
    sessions: sessionmaker
    senders: dict[str, Sender] = field(default_factory=dict)
    worker_id: str | None = None  # set by a worker process whose heartbeat runs (workers/recovery.py)

    @property
    def pack(self) -> Pack:
        return current_pack(self.settings)

    @property
    def calendar(self) -> WorkingCalendar:
        return calendar_for(self.pack, self.settings.agency_timezone)

    def sender(self, channel: str) -> Sender:
        try:
            return self.senders[channel]
        except KeyError:
            raise LookupError(f"no credentials configured for channel {channel!r}") from None


_runtime: Runtime | None = None


def build(settings: Settings, redis: Redis | None = None) -> Runtime:
    redis = redis or Redis.from_url(settings.redis_url)
    sessions = make_session_factory(make_engine(settings.database_url, timeout=settings.db_timeout_seconds))
    return Runtime(settings, redis, sessions, make_senders(settings, redis))


def runtime() -> Runtime:
    """This process's runtime, built from the environment on first use."""
    global _runtime
    if _runtime is None:
        _runtime = build(Settings.from_env())
    return _runtime


def set_runtime(rt: Runtime | None) -> None:
    """Install a runtime (tests, ``loket demo``)."""
    global _runtime
    _runtime = rt
