"""What every view uses: the settings, Redis, the session factory, the inbound queue and the channel instances.

Built once by the app factory (webhooks/app.py) and kept on the app; the views ask ``services()`` for it, so
they import this module and never the factory.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from redis import Redis
from rq import Queue
from sqlalchemy.orm import sessionmaker

from bot.settings import Settings
from bot.tenancy import ChannelRegistry, agency_ids, load_channels


@dataclass
class Services:
    settings: Settings
    redis: Redis
    sessions: sessionmaker
    inbound: Queue
    _channels: ChannelRegistry | None = None

    @property
    def channels(self) -> ChannelRegistry:
        """The channel instances inbound traffic is routed by (read once per process)."""
        if self._channels is None:
            self._channels = load_channels(self.settings, agency_ids(self.settings))
        return self._channels


def services() -> Services:
    return current_app.extensions["loket"]
