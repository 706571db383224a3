"""/healthz and /metrics: the real app, a real Redis and database, and what happens when one of them is gone."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from bot.store.db import make_engine, make_session_factory
from tests.conftest import POSTGRES_URL
from webhooks import create_app
from bot.queues import Queues

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


def families(body: str) -> dict:
    return {f.name: f for f in text_string_to_metric_families(body)}


def sample(fams: dict, family: str, name: str, **labels) -> float:
    for s in fams[family].samples:
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    raise AssertionError(f"no sample {name}{labels} in {fams[family].samples}")


@pytest.fixture
def app_with(loket):
    """``app_with(redis=..., sessions=...)``: the app with one dependency swapped for a broken one."""
    engines = []

    def make(redis=None, database_url=None):
        sessions = loket.sessions
        if database_url is not None:
            engine = make_engine(database_url)
            engines.append(engine)
            sessions = make_session_factory(engine)
        return create_app(loket.settings, redis=redis or loket.redis, sessions=sessions).test_client()

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def closed_redis():
    client = Redis.from_url(CLOSED_REDIS, socket_connect_timeout=1, socket_timeout=1)
    yield client
    client.close()


def test_healthz_ok(loket):
    loket.whatsapp("halo")
    resp = loket.client.get("/healthz")
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "ok" and body["database"] == "ok" and body["redis"] == "ok"
    assert body["queues"] == {Queues.INBOUND: 1, Queues.SEND: 0, Queues.SCHEDULED: 0}


def test_healthz_503_when_redis_is_down(app_with, closed_redis):
    started = time.monotonic()
    resp = app_with(redis=closed_redis).get("/healthz")
    assert time.monotonic() - started < 2.5
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["redis"].startswith("down: ")


def test_healthz_503_when_the_database_is_down(app_with):
    closed = POSTGRES_URL.replace("127.0.0.1:5432", "127.0.0.1:1")
    assert closed != POSTGRES_URL
    started = time.monotonic()
    resp = app_with(database_url=closed).get("/healthz")
    assert time.monotonic() - started < 2.5
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["database"].startswith("down: ") and body["redis"] == "ok"
    assert body["queues"][Queues.INBOUND] == 0


def test_healthz_does_not_hang_on_a_silent_redis(app_with, monkeypatch):
    """A Redis that accepts the connection but never answers (no socket timeout set): 503 after ~2 s."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # never accept(): the kernel completes the handshake, nobody ever replies
    # No socket timeout; no client retries either, only so that the hang-up below ends the stuck threads at once.
    silent = Redis(host="127.0.0.1", port=listener.getsockname()[1], socket_timeout=None,
                   socket_connect_timeout=None, retry=Retry(NoBackoff(), 0))
    try:
        started = time.monotonic()
        resp = app_with(redis=silent).get("/healthz")
        elapsed = time.monotonic() - started
        assert resp.status_code == 503 and resp.get_json()["redis"] == "down: TimeoutError"
        assert 1.9 <= elapsed < 3
        monkeypatch.setattr("webhooks.health.CHECK_TIMEOUT", 0.3)
        resp = app_with(redis=silent).get("/metrics")
        assert resp.status_code == 503
    finally:
        # Hang up on the stuck checks (their reconnect is then refused) so their threads end now.
        listener.setblocking(False)
        pending = []
        while True:
            try:
                pending.append(listener.accept()[0])
            except BlockingIOError:
                break
        listener.close()
        for conn in pending:
            conn.close()
        deadline = time.monotonic() + 5
        while any(t.name == "loket-health" for t in threading.enumerate()) and time.monotonic() < deadline:
            time.sleep(0.02)
        silent.close()


def test_metrics_503_when_redis_is_down(app_with, closed_redis):
    resp = app_with(redis=closed_redis).get("/metrics")
    assert resp.status_code == 503
    assert resp.get_data(as_text=True) == "# redis unavailable\n"


def test_metrics_after_traffic(loket):
    for text in ("halo", "1", "2"):
        loket.whatsapp(text)
    loket.telegram("/start")
    resp = loket.client.get("/metrics")
    assert resp.status_code == 200 and resp.mimetype == "text/plain"
    fams = families(resp.get_data(as_text=True))
    assert sample(fams, "loket_inbound_messages", "loket_inbound_messages_total", channel="whatsapp") == 3
    assert sample(fams, "loket_inbound_messages", "loket_inbound_messages_total", channel="telegram") == 1
    assert sample(fams, "loket_queue_depth", "loket_queue_depth", queue=Queues.INBOUND) == 4
    assert sample(fams, "loket_queue_depth", "loket_queue_depth", queue=Queues.SEND) == 0
    assert fams["loket_queue_depth"].type == "gauge"

    loket.work()
    fams = families(loket.client.get("/metrics").get_data(as_text=True))
    assert sample(fams, "loket_queue_depth", "loket_queue_depth", queue=Queues.INBOUND) == 0
    hist = fams["loket_job_seconds"]
    assert hist.type == "histogram"
    assert sample(fams, "loket_job_seconds", "loket_job_seconds_count", channel="whatsapp") == 3
    assert sample(fams, "loket_job_seconds", "loket_job_seconds_count", channel="telegram") == 1
    assert sample(fams, "loket_job_seconds", "loket_job_seconds_bucket", channel="whatsapp", le="+Inf") == 3
    assert sample(fams, "loket_job_seconds", "loket_job_seconds_sum", channel="whatsapp") > 0
    assert sample(fams, "loket_messages_sent", "loket_messages_sent_total", channel="whatsapp") >= 3
    assert sample(fams, "loket_messages_sent", "loket_messages_sent_total", channel="telegram") >= 1
