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
    "inbound_set_aside_total": ("counter", "Inbound messages set aside after repeated failures"),
}
log = logging.getLogger("loket.metrics")


def _labels(labels: dict) -> str:
    """A series' label part as the hash stores it (``{a="1",b="2"}``, sorted), or "" without labels."""
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"


def field(name: str, **labels) -> str:
    """The hash field of a counter, for a caller that adds to it in its own script (bot.queues)."""
    return name + _labels(labels)


def incr(redis: Redis, name: str, amount: int = 1, **labels) -> None:
    try:
        redis.hincrby(KEY, name + _labels(labels), amount)
    except RedisError:
        log.warning("metrics unavailable")


def observe(redis: Redis, name: str, seconds: float, **labels) -> None:
    """Record one duration into a Prometheus-style histogram."""
    try:
        pipe = redis.pipeline()
        observe_in(pipe, name, seconds, **labels)
        pipe.execute()
    except RedisError:
        log.warning("metrics unavailable")


def observe_in(pipe, name: str, seconds: float, **labels) -> None:
    """Queue ``observe``'s writes on ``pipe``, a Redis pipeline its caller executes with other commands.

    Three writes per observation: the one bucket it falls in (``<name>_in``), the sum and the count.
    ``/metrics`` adds the buckets up into Prometheus's cumulative ones; a worker observes each turn, and
    writing every bucket at or above the value (up to 15 fields) cost it more than the rest of its metrics.
    """
    le = next((bound for bound in BUCKETS if seconds <= bound), "+Inf")
    pipe.hincrby(KEY, f"{name}_in" + _labels({**labels, "le": le}), 1)
    pipe.hincrbyfloat(KEY, f"{name}_sum" + _labels(labels), seconds)
    pipe.hincrby(KEY, f"{name}_count" + _labels(labels), 1)


GAUGE_HELP = {
    "queue_depth": "Jobs waiting in each RQ queue",
}


def _split(key: str) -> tuple[str, dict[str, str]]:
    """``'name{a="1",b="2"}'`` -> ``('name', {'a': '1', 'b': '2'})`` (label values never hold quotes here)."""
    base, _, rest = key.partition("{")
    labels: dict[str, str] = {}
    for part in rest.rstrip("}").split('",') if rest else []:
        k, _, v = part.partition("=")
        labels[k] = v.strip('"')
    return base, labels


def _le(value: str) -> float:
    return float("inf") if value == "+Inf" else float(value)


def _le_text(value: float) -> str:
    return "+Inf" if value == float("inf") else (f"{value:g}" if value != int(value) else str(int(value)))


def _histogram(name: str, values: dict[str, str]) -> list[str]:
    """One histogram's samples: per label set, every bucket (0 if never hit) in ``le`` order, +Inf last, then sum and count.

    A bucket's count is the observations in it and in every bucket below (``<name>_in`` fields, added up
    here), plus any cumulative ``<name>_bucket`` field an earlier version wrote for it.
    """
    series: dict[tuple, dict] = {}
    for key, value in values.items():
        base, labels = _split(key)
        if base not in (f"{name}_bucket", f"{name}_in", f"{name}_sum", f"{name}_count"):
            continue
        le = labels.pop("le", None)
        entry = series.setdefault(tuple(sorted(labels.items())), {"cumulative": {}, "in": {}, "sum": "0", "count": "0"})
        if base.endswith(("_bucket", "_in")) and le is not None:
            entry["cumulative" if base.endswith("_bucket") else "in"][_le(le)] = int(value)
        elif base.endswith("_sum"):
            entry["sum"] = value
        elif base.endswith("_count"):
            entry["count"] = value
    lines = []
    for label_items, entry in sorted(series.items()):
        labels = dict(label_items)
        below = 0
        for le in sorted({*(float(b) for b in BUCKETS), float("inf"), *entry["cumulative"], *entry["in"]}):
            below += entry["in"].get(le, 0)
            lines.append(f"loket_{name}_bucket{_labels({**labels, 'le': _le_text(le)})} "
                         f"{below + entry['cumulative'].get(le, 0)}")
        lines.append(f"loket_{name}_sum{_labels(labels)} {entry['sum']}")
        lines.append(f"loket_{name}_count{_labels(labels)} {entry['count']}")
    return lines


def render(redis: Redis, gauges: dict[str, float] | None = None) -> str:
    """All counters, histograms and the given gauges in Prometheus text format.

    One ``# HELP``/``# TYPE`` per metric family (Prometheus rejects a repeated
    TYPE line), labelled gauges grouped under their base name.
    """
    values = {k.decode(): v.decode() for k, v in redis.hgetall(KEY).items()}
    lines: list[str] = []
    for name, (kind, text) in HELP.items():
        lines += [f"# HELP loket_{name} {text}", f"# TYPE loket_{name} {kind}"]
        if kind == "histogram":
            lines += _histogram(name, values)
            continue
        for key in sorted(values):
            if key.split("{", 1)[0] == name:
                lines.append(f"loket_{key} {values[key]}")
    families: dict[str, list[str]] = {}
    for name, value in (gauges or {}).items():
        families.setdefault(name.split("{", 1)[0], []).append(f"loket_{name} {value}")
    for base, samples in families.items():
        lines += [f"# HELP loket_{base} {GAUGE_HELP.get(base, base.replace('_', ' '))}", f"# TYPE loket_{base} gauge"]
        lines += samples
    return "\n".join(lines) + "\n"
