"""What every view uses: the settings, Redis, the session factory, the inbound queue and the channel instances.

Built once by the app factory (webhooks/app.py) and kept on the app; the views ask ``services()`` for it, so
they import this module and never the factory.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from redis import Redis
from rq import Queue
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bot.settings import Settings
from bot.tenancy import ChannelRegistry, agency_ids, load_channels


@dataclass
class Services:
    settings: Settings
    redis: Redis
    sessions: sessionmaker
    inbound: Queue
    intake: Engine | None = None  # PostgreSQL's engine for recording webhooks (bot.store.db.make_intake_engine)
    _channels: ChannelRegistry | None = None

    @property
    def intake_engine(self) -> Engine:
        """Where inbound events are recorded: the intake engine, else the sessions' own."""
        return self.intake if self.intake is not None else self.sessions.kw["bind"]

    @property
    def channels(self) -> ChannelRegistry:
        """The channel instances inbound traffic is routed by (read once per process)."""
        if self._channels is None:
            self._channels = load_channels(self.settings, agency_ids(self.settings))
        return self._channels


def services() -> Services:
    return current_app.extensions["loket"]
