"""Where a webhook's CPU goes, measured in one thread without gunicorn: the three endpoints, then each stage.

``webhook_ack.py`` measures requests per second under gunicorn, where which process gets which
keep-alive connection, and the machine's other load, move the figures by a third from run to run.
This one calls the WSGI apps of ``bench/ackapp.py`` directly, one request after another, and counts the
process's CPU time per request: the same work every run, so small changes show. Then it times the
webhook's stages on their own (parse, cleaning, the INSERT, the Redis arrival) beside the bare round
trips they pay for (a Redis PING through redis-py and on a raw socket, a ``SELECT 1`` on psycopg, the
same with a 0.6 ms sleep in it, and the bare INSERT of the form, committed, that ``webhook_ack``'s
``record`` floor makes).

    .venv/bin/python bench/webhook_cost.py [--requests 3000]

Needs PostgreSQL (a throw-away schema) and Redis (DB 11, flushed before and after), as the others.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import socket
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BOT_NUMBER, PUBLIC, base_env, make_database, redis_url  # noqa: E402


def _environ(path: str, form: dict, signature: str) -> dict:
    body = urlencode(form).encode()
    return {"REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "bench",
            "SERVER_PORT": "443", "HTTP_HOST": PUBLIC.split("//", 1)[1], "wsgi.url_scheme": "https",
            "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
            "HTTP_X_TWILIO_SIGNATURE": signature, "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr}


def _cpu_per_call(fn, items) -> tuple[float, float]:
    """(CPU µs, wall µs) per call of ``fn`` over ``items``."""
    cpu, wall = time.process_time(), time.perf_counter()
    for item in items:
        fn(item)
    n = len(items)
    return (time.process_time() - cpu) / n * 1e6, (time.perf_counter() - wall) / n * 1e6


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--requests", type=int, default=3000)
    args = p.parse_args(argv)
    n = args.requests

    from redis import Redis
    from tests.fakes.twilio_api import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, make_inbound, signed_inbound

    redis = Redis.from_url(redis_url())
    redis.flushdb()
    tmp = tempfile.TemporaryDirectory(prefix="loket-bench-")
    db = make_database("postgres", Path(tmp.name))
    rows = []
    try:
        os.environ.update(base_env(db.url, TWILIO_ACCOUNT_SID=DEFAULT_ACCOUNT_SID, TWILIO_AUTH_TOKEN=DEFAULT_AUTH_TOKEN,
                                   MEDIA_DIR=str(Path(tmp.name) / "media")))
        import logging
        from bench import ackapp
        app = ackapp.create_app()
        logging.getLogger("loket").setLevel(logging.WARNING)

        def forms(offset: int, count: int) -> list[dict]:
            return [make_inbound(body="halo", from_=f"whatsapp:+62811{i % 500:06d}", to=BOT_NUMBER,
                                 account_sid=DEFAULT_ACCOUNT_SID, message_sid=f"SM{offset + i:032x}")
                    for i in range(count)]

        def answered(environ: dict) -> None:
            def start_response(status, headers, exc_info=None):
                assert status.startswith("200"), status
            b"".join(app(environ, start_response))

        for k, path in enumerate(("/bare/twilio", "/bench/verify", "/webhooks/twilio")):
            environs = [_environ(path, form, signed_inbound(PUBLIC + path, form, DEFAULT_AUTH_TOKEN)[1])
                        for form in forms(k * 10 ** 7, n + 200)]
            _cpu_per_call(answered, environs[:200])  # warm: imports, pools, prepared statements
            rows.append((f"request {path}", *_cpu_per_call(answered, environs[200:])))

        from bot.channels import clean
        from bot.channels.providers import PROVIDERS
        from bot.queues import Queues, chat_key, enqueue_inbound, queue
        from bot.store.db import make_intake_engine
        from bot.store.inbound import save_inbound
        engine = make_intake_engine(db.url, timeout=5)
        inbound = queue(redis, Queues.INBOUND, "bench-")
        raw = forms(9 * 10 ** 7, n)
        messages = [PROVIDERS["whatsapp"].parse(form) for form in raw]
        rows.append(("parse the form", *_cpu_per_call(lambda f: PROVIDERS["whatsapp"].parse(f), raw)))
        rows.append(("clean the payload", *_cpu_per_call(clean.payload, raw)))
        rows.append(("message to_dict + clean", *_cpu_per_call(lambda m: clean.payload(m.to_dict()), messages)))
        rows.append(("json.dumps of both", *_cpu_per_call(lambda f: (json.dumps(f), json.dumps(f)), raw)))
        ids = []
        rows.append(("INSERT (save_inbound)", *_cpu_per_call(lambda pair: ids.append(save_inbound(
            engine, channel="whatsapp", platform_id=pair[0].platform_id, chat_key=chat_key("whatsapp", pair[0].chat_id),
            payload=clean.payload(pair[1]), message=clean.payload(pair[0].to_dict()))), list(zip(messages, raw)))))
        rows.append(("Redis arrival (enqueue_inbound)", *_cpu_per_call(lambda pair: enqueue_inbound(
            redis, inbound, chat_key("whatsapp", pair[0].chat_id), pair[1]), list(zip(messages, ids)))))
        rows.append(("redis-py PING", *_cpu_per_call(lambda _: redis.ping(), range(n))))
        host, port = redis.connection_pool.connection_kwargs["host"], redis.connection_pool.connection_kwargs["port"]
        with socket.create_connection((host, port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def ping(_):
                sock.sendall(b"*1\r\n$4\r\nPING\r\n")
                sock.recv(64)
            rows.append(("raw socket PING", *_cpu_per_call(ping, range(n))))
        import psycopg
        with psycopg.connect(db.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            rows.append(("psycopg SELECT 1", *_cpu_per_call(lambda _: conn.execute("SELECT 1").fetchone(), range(n))))
            # The same statement with a wait in it: what being woken costs this process.
            rows.append(("psycopg SELECT pg_sleep(0.0006)", *_cpu_per_call(
                lambda _: conn.execute("SELECT pg_sleep(0.0006)").fetchone(), range(n))))
            conn.execute(ackapp._FLOOR_TABLE)
            body = json.dumps(raw[0])
            floor = "INSERT INTO bench_floor (form) VALUES (%s::jsonb) RETURNING id"
            rows.append(("psycopg INSERT of the form, committed", *_cpu_per_call(
                lambda _: conn.execute(floor, (body,)).fetchone(), range(n))))
        engine.dispose()
    finally:
        if db is not None:
            db.close()
        redis.flushdb()
        tmp.cleanup()
    print(f"webhook_cost  db=postgres  {n} calls each, one thread, no gunicorn (CPU and wall µs per call)")
    print("| what | CPU µs | wall µs |\n|---|---:|---:|")
    for name, cpu, wall in rows:
        print(f"| {name} | {cpu:.1f} | {wall:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
