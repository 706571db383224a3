"""What a worker process needs, built once per process from the settings (never at import)."""
from __future__ import annotations

from dataclasses import dataclass, field

from redis import Redis
from sqlalchemy.orm import sessionmaker

from bot.calendar.agency import calendar_for
from bot.calendar.workdays import WorkingCalendar
from bot.content import Pack
from bot.store.db import make_engine, make_session_factory
from bot.settings import Settings
from bot.tenancy import ChannelRegistry, agency_ids, load_agencies, load_channels
from bot.channels import simulator
from bot.channels.base import Sender
from workers.senders import make_senders

PING_AFTER_IDLE_SECONDS = 5.0  # a pooled connection unused this long is pinged before use


@dataclass
class Runtime:
    settings: Settings
    redis: Redis
    sessions: sessionmaker
    senders: dict[str, Sender] = field(default_factory=dict)
    worker_id: str | None = None  # set by a worker process whose heartbeat runs (workers/recovery.py)
    lingers: bool = False  # a long-running worker's drain jobs wait for the next chat (workers/draining.py)

    _channels: ChannelRegistry | None = None

    @property
    def agencies(self) -> dict[str, Pack]:
        """Every served agency's pack by id (each reloaded when its files change)."""
        return load_agencies(self.settings)

    @property
    def default_agency(self) -> str:
        """The agency of what names none: the first served, a one-agency deployment's only one."""
        return agency_ids(self.settings)[0]

    def pack_for(self, agency_id: str | None) -> Pack:
        """The agency's pack: its services, units, wording, templates and SLA classes."""
        packs = self.agencies
        agency_id = agency_id or self.default_agency
        try:
            return packs[agency_id]
        except KeyError:
            raise LookupError(f"agency {agency_id!r} is not served here (AGENCIES)") from None

    def calendar_for(self, agency_id: str | None) -> WorkingCalendar:
        """The agency's working days, office hours and closures."""
        return calendar_for(self.pack_for(agency_id), self.settings.agency_timezone)

    def tz_for(self, agency_id: str | None) -> str:
        return self.settings.agency_timezone or self.pack_for(agency_id).agency.timezone

    @property
    def pack(self) -> Pack:
        """The default agency's pack (what a one-agency deployment serves)."""
        return self.pack_for(None)

    @property
    def calendar(self) -> WorkingCalendar:
        return self.calendar_for(None)

    @property
    def channels(self) -> ChannelRegistry:
        """The channel instances (channels.yaml, or the settings' single sender and bot), read once."""
        if self._channels is None:
            self._channels = load_channels(self.settings, agency_ids(self.settings))
        return self._channels

    def sender(self, channel: str) -> Sender:
        try:
            return self.senders[channel]
        except KeyError:
            raise LookupError(f"no credentials configured for channel {channel!r}") from None


def pool_size(settings: Settings) -> dict[str, int]:
    """Database connections for a worker: one kept open per turn thread (workers/draining.py) and one for
    the heartbeat's sweep, so none is opened per turn. SQLAlchemy keeps five and opens the rest
    (its overflow) anew each time, closing them after: with more threads than that, PostgreSQL
    started a server process per turn, which cost more CPU than the turns. The overflow is left for
    a turn that needs a second connection at once."""
    if settings.database_url.startswith("sqlite"):
        return {}
    return {"pool_size": settings.worker_threads + 1, "max_overflow": settings.worker_threads}


_runtime: Runtime | None = None


def build(settings: Settings, redis: Redis | None = None) -> Runtime:
    redis = redis or Redis.from_url(settings.redis_url)
    # A worker's connections are in steady use: pinged only after a quiet spell (bot.store.db).
    sessions = make_session_factory(make_engine(settings.database_url, timeout=settings.db_timeout_seconds,
                                                ping_after_idle=PING_AFTER_IDLE_SECONDS,
                                                **pool_size(settings)))
    channels = load_channels(settings, agency_ids(settings))
    senders = make_senders(settings, redis, channels.instances)
    if settings.simulator_enabled:  # the demo: the simulator page plays the instances that have no credentials
        for inst in channels.instances:
            if not inst.default:
                senders.setdefault(inst.id, simulator.Sender(settings, redis, instance=inst.id))
    return Runtime(settings, redis, sessions, senders, _channels=channels)


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
