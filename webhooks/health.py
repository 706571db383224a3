"""Health and metrics for the people and machines that keep Loket running."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from bot import metrics
from webhooks.app import services
from workers.queues import Queues, queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    svc = services()
    report: dict = {"database": "ok", "redis": "ok", "queues": {}}
    ok = True
    try:
        with svc.sessions() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        ok, report["database"] = False, f"down: {type(exc).__name__}"
    try:
        svc.redis.ping()
        for name in Queues.ALL:
            report["queues"][name] = queue(svc.redis, name, svc.settings.queue_prefix).count
    except RedisError as exc:
        ok, report["redis"] = False, f"down: {type(exc).__name__}"
    report["status"] = "ok" if ok else "degraded"
    return jsonify(report), 200 if ok else 503


@bp.get("/metrics")
def prometheus():
    svc = services()
    try:
        gauges = {f'queue_depth{{queue="{n}"}}': queue(svc.redis, n, svc.settings.queue_prefix).count for n in Queues.ALL}
        body = metrics.render(svc.redis, gauges)
    except RedisError:
        return Response("# redis unavailable\n", status=503, mimetype="text/plain")
    return Response(body, mimetype="text/plain; version=0.0.4")
