"""Health and metrics for the people and machines that keep Loket running.

Each check runs in a thread of its own and is given ``CHECK_TIMEOUT`` seconds:
a database or Redis that does not answer (a dropped packet rather than a
refused connection) makes /healthz answer 503 quickly instead of hanging the
web worker and the load balancer's probe.
"""
from __future__ import annotations

import hmac
import threading

from flask import Blueprint, Response, abort, jsonify, request
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot.ops import metrics
from webhooks.services import services
from bot.queues import Queues, queue

bp = Blueprint("health", __name__)
CHECK_TIMEOUT = 2.0  # seconds per check
# Checks still hanging (each in its own daemon thread, so a stuck one never blocks shutdown). Past
# this many, a check fails at once instead of starting yet another thread.
_in_flight = threading.BoundedSemaphore(8)


def _bounded(fn, *args):
    """``fn(*args)``, or ``TimeoutError`` after ``CHECK_TIMEOUT`` seconds (the check may go on in its thread)."""
    if not _in_flight.acquire(blocking=False):
        raise TimeoutError("earlier health checks are still waiting for an answer")
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = fn(*args)
        except BaseException as exc:  # handed to the request thread
            outcome["error"] = exc
        finally:
            _in_flight.release()

    thread = threading.Thread(target=run, name="loket-health", daemon=True)
    thread.start()
    thread.join(CHECK_TIMEOUT)
    if thread.is_alive():
        raise TimeoutError(f"no answer within {CHECK_TIMEOUT:g} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def _check_database(sessions) -> None:
    with sessions() as session:
        session.execute(text("SELECT 1"))


def _queue_depths(redis, prefix: str) -> dict[str, int]:
    redis.ping()
    return {name: queue(redis, name, prefix).count for name in Queues.ALL}


@bp.get("/healthz")
def healthz():
    svc = services()
    report: dict = {"database": "ok", "redis": "ok", "queues": {}}
    ok = True
    try:
        _bounded(_check_database, svc.sessions)
    except (SQLAlchemyError, OSError) as exc:  # TimeoutError is an OSError
        ok, report["database"] = False, f"down: {type(exc).__name__}"
    try:
        report["queues"] = _bounded(_queue_depths, svc.redis, svc.settings.queue_prefix)
    except (RedisError, OSError) as exc:
        ok, report["redis"] = False, f"down: {type(exc).__name__}"
    report["status"] = "ok" if ok else "degraded"
    return jsonify(report), 200 if ok else 503


def _render(redis, prefix: str) -> str:
    gauges = {f'queue_depth{{queue="{n}"}}': queue(redis, n, prefix).count for n in Queues.ALL}
    return metrics.render(redis, gauges)


@bp.get("/metrics")
def prometheus():
    svc = services()
    token = svc.settings.metrics_token
    if token:  # as Prometheus' bearer_token / authorization settings send it
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            abort(401)
    try:
        body = _bounded(_render, svc.redis, svc.settings.queue_prefix)
    except (RedisError, OSError):
        return Response("# redis unavailable\n", status=503, mimetype="text/plain")
    return Response(body, mimetype="text/plain; version=0.0.4")
