"""App factory: one settings object, connections built here and passed in."""
from __future__ import annotations

import logging

from flask import Flask
from redis import Redis
from sqlalchemy.orm import sessionmaker

from bot.store.db import make_engine, make_intake_engine, make_session_factory
from bot.ops.logs import setup_logging
from bot.settings import Settings
from bot.queues import Queues, queue
from webhooks.services import Services


def create_app(settings: Settings | None = None, *, redis: Redis | None = None,
               sessions: sessionmaker | None = None) -> Flask:
    if settings is None:  # a real deployment (gunicorn): production logging, and no start without a secret
        setup_logging()
        settings = Settings.from_env()
    settings.require_secret()
    app = Flask(__name__)
    # No SECRET_KEY for Flask: nothing here keeps a cookie session (webhooks and the simulator are
    # stateless, signed links use the settings' secret), and with a key Flask would build a cookie
    # signer on every request.
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024  # webhooks carry URLs and ids, never files
    # Bounded waits: Twilio gives up after 15 s, so a hung Redis must fail fast (and the platform retries).
    redis = redis or Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=5)
    intake = None
    if sessions is None:
        sessions = make_session_factory(
            make_engine(settings.database_url, timeout=settings.db_timeout_seconds, statement_timeout=True))
        intake = make_intake_engine(settings.database_url, timeout=settings.db_timeout_seconds)
    app.extensions["loket"] = Services(settings, redis, sessions, queue(redis, Queues.INBOUND, settings.queue_prefix),
                                       intake=intake)

    from webhooks import errors, health, media, simulator, telegram, twilio
    app.register_blueprint(twilio.bp)
    app.register_blueprint(telegram.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(media.bp)
    app.register_blueprint(simulator.bp)
    errors.register(app)
    logging.getLogger("loket").setLevel(logging.INFO)
    return app
