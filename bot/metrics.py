"""Counters and timings kept in Redis, so web and worker processes report one set of numbers.

Rendered in Prometheus text format by ``/metrics``. Failing to count never
breaks the request or job that is being counted.
"""
from __future__ import annotations

import logging

from redis import Redis
from redis.exceptions import RedisError

KEY = "loket:metrics"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)
HELP = {
    "inbound_messages_total": ("counter", "Inbound messages accepted, by channel"),
    "inbound_duplicates_total": ("counter", "Duplicate webhook deliveries dropped, by channel"),
    "webhook_rejected_total": ("counter", "Webhook calls refused for a bad signature or secret"),
    "messages_sent_total": ("counter", "Outbound messages sent, by channel"),
    "send_failures_total": ("counter", "Outbound messages that failed, by channel"),
    "job_seconds": ("histogram", "Time to handle one inbound message in the worker"),
    "tickets_created_total": ("counter", "Tickets created, by kind"),
}
log = logging.getLogger("loket.metrics")


def _labels(labels: dict) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def incr(redis: Redis, name: str, amount: int = 1, **labels) -> None:
    try:
        redis.hincrby(KEY, name + _labels(labels), amount)
    except RedisError:
        log.warning("metrics unavailable")


def observe(redis: Redis, name: str, seconds: float, **labels) -> None:
    """Record one duration into a Prometheus-style histogram."""
    try:
        pipe = redis.pipeline()
        for le in BUCKETS:
            if seconds <= le:
                pipe.hincrby(KEY, f"{name}_bucket" + _labels({**labels, "le": le}), 1)
        pipe.hincrby(KEY, f"{name}_bucket" + _labels({**labels, "le": "+Inf"}), 1)
        pipe.hincrbyfloat(KEY, f"{name}_sum" + _labels(labels), seconds)
        pipe.hincrby(KEY, f"{name}_count" + _labels(labels), 1)
        pipe.execute()
    except RedisError:
        log.warning("metrics unavailable")


def render(redis: Redis, gauges: dict[str, float] | None = None) -> str:
    """All counters, histograms and the given gauges in Prometheus text format."""
    values = {k.decode(): v.decode() for k, v in redis.hgetall(KEY).items()}
    lines: list[str] = []
    for name, (kind, text) in HELP.items():
        lines += [f"# HELP loket_{name} {text}", f"# TYPE loket_{name} {kind}"]
        for key in sorted(values):
            base = key.split("{", 1)[0]
            if base == name or (kind == "histogram" and base in (f"{name}_bucket", f"{name}_sum", f"{name}_count")):
                lines.append(f"loket_{key} {values[key]}")
    for name, value in (gauges or {}).items():
        base = name.split("{", 1)[0]
        lines += [f"# TYPE loket_{base} gauge", f"loket_{name} {value}"]
    return "\n".join(lines) + "\n"
