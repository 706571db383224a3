"""Map exceptions to HTTP answers in one place.

- A dependency that is down (database refused, timed out or black-holed;
  Redis unreachable) answers 503: Twilio and Telegram deliver again later
  (Twilio only when the webhook URL carries its retry settings, see README).
- Anything else is a payload we could not handle or a bug. On a webhook it
  answers 200: the same payload would fail the same way on every redelivery,
  and a 5xx makes the platform send it again and again. The error is logged
  (type and frames only, see ``bot.ops.logs``) and counted for the operator.
"""
from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from bot.ops import metrics

log = logging.getLogger("loket.webhooks")
OUTAGES = (OperationalError, DisconnectionError, PoolTimeout, RedisError, ConnectionError, TimeoutError)


def is_outage(exc: BaseException) -> bool:
    """True when ``exc`` says a database or Redis is unreachable, not that the request was bad."""
    if isinstance(exc, OUTAGES):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def _count(name: str) -> None:
    from webhooks.services import services
    try:
        metrics.incr(services().redis, name)
    except (RedisError, OSError):  # counting must not turn one error into another
        pass


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return jsonify(error=exc.name, status=exc.code), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if is_outage(exc):
            log.error("dependency unavailable: %s", type(exc).__name__, extra={"path": request.path})
            return jsonify(error="service unavailable; deliver again", status=503), 503
        log.exception("unhandled error", extra={"path": request.path})
        if request.path.startswith("/webhooks/"):
            _count("webhook_errors_total")
            return ("", 200)
        return jsonify(error="internal error", status=500), 500
