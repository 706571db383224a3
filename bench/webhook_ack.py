"""Webhook acknowledgements per second and their latency: Loket's Twilio webhook against a bare Flask floor.

    .venv/bin/python bench/webhook_ack.py                 # SQLite file database
    .venv/bin/python bench/webhook_ack.py --db postgres   # a throw-away PostgreSQL schema

One gunicorn with the Procfile's settings (``-w 2 --threads 4``) serves ``bench/ackapp.py``, which
dispatches by path to its endpoints (see that file): ``/bare/twilio`` (bare Flask, empty TwiML),
on PostgreSQL ``/bare/record`` and ``/bare/queue`` (bare Flask plus one durable INSERT, and plus one
RPUSH: the floors of a webhook that records before it answers), ``/bench/verify`` (Loket's signature
check only) and ``/webhooks/twilio`` (the real webhook). Each
request is a realistic signed inbound form from ``tests.fakes.twilio_api.make_inbound`` with its own
MessageSid, so every one sent to ``/webhooks/twilio`` is recorded and queued (checked at the end).

The load generator is this process: ``--concurrency`` threads, each with one keep-alive connection,
sending prepared raw requests back to back (closed loop) -- ``--requests`` per endpoint after
``--warmup`` untimed ones. It shares the machine's CPUs with the server; its own CPU time is reported.
Nothing asserts on time: this prints figures and writes ``bench/results/webhook_ack-*.json``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (BOT_NUMBER, PUBLIC, RESULTS, Processes, base_env, build_post, cpu_seconds,  # noqa: E402
                          install_signal_handlers, machine_busy, machine_info, make_database, now_stamp, process_tree,
                          redis_url, start_gunicorn, summarize_ms, table, write_json, KeepAliveClient)

ENDPOINTS = {
    "bare": "/bare/twilio",
    "record": "/bare/record",
    "queue": "/bare/queue",
    "verify": "/bench/verify",
    "twilio": "/webhooks/twilio",
}


def prepare(host: str, path: str, count: int, citizens: int, token: str, account_sid: str,
            close: bool = False) -> list[bytes]:
    from tests.fakes.twilio_api import make_inbound, signed_inbound
    out = []
    for i in range(count):
        citizen = f"whatsapp:+62812{i % citizens:08d}"
        form = make_inbound(body="halo", from_=citizen, to=BOT_NUMBER, account_sid=account_sid,
                            profile_name=f"Warga {i % citizens}")
        _, sig = signed_inbound(PUBLIC + path, form, token)
        headers = {"X-Twilio-Signature": sig, **({"Connection": "close"} if close else {})}
        out.append(build_post(host, path, form, headers))
    return out


def run_load(port: int, requests: list[bytes], concurrency: int) -> dict:
    """Send ``requests`` over ``concurrency`` keep-alive connections; latencies and errors."""
    slices = [requests[i::concurrency] for i in range(concurrency)]
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[list[str]] = [[] for _ in range(concurrency)]
    reconnects = [0] * concurrency
    clients = [KeepAliveClient("127.0.0.1", port) for _ in range(concurrency)]
    for c in clients:
        c._connect()
    start = threading.Barrier(concurrency + 1)

    def worker(i: int) -> None:
        client, lat, err = clients[i], latencies[i], errors[i]
        start.wait()
        for raw in slices[i]:
            t0 = time.perf_counter()
            try:
                status, _body = client.request(raw)
            except OSError as exc:
                err.append(type(exc).__name__)
                continue
            lat.append(time.perf_counter() - t0)
            if status != 200:
                err.append(str(status))
        reconnects[i] = client.reconnects
        client.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    all_lat = [x for lat in latencies for x in lat]
    all_err = [x for err in errors for x in err]
    by_kind: dict[str, int] = {}
    for e in all_err:
        by_kind[e] = by_kind.get(e, 0) + 1
    ok = len(all_lat) - sum(1 for e in all_err if e.isdigit())
    return {"wall_s": wall, "requests": len(requests), "ok": ok, "errors": len(all_err),
            "errors_by_kind": by_kind, "reconnects": sum(reconnects), "latencies": all_lat}


def run_open_loop(port: int, requests: list[bytes], concurrency: int, rate: float) -> dict:
    """Send ``requests`` at ``rate`` per second whatever the answers (open loop), over up to ``concurrency``
    keep-alive connections. Each latency runs from the moment the request was due, so time spent waiting
    for a free connection counts (no coordinated omission)."""
    from concurrent.futures import ThreadPoolExecutor
    local = threading.local()
    clients: list[KeepAliveClient] = []
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def post(raw: bytes, due: float) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = KeepAliveClient("127.0.0.1", port)
            with lock:
                clients.append(client)
        try:
            status, _body = client.request(raw)
        except OSError as exc:
            with lock:
                errors.append(type(exc).__name__)
            return
        with lock:
            latencies.append(time.perf_counter() - due)
            if status != 200:
                errors.append(str(status))

    pool = ThreadPoolExecutor(max_workers=concurrency)
    t0 = time.perf_counter() + 0.05
    for k, raw in enumerate(requests):
        due = t0 + k / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        pool.submit(post, raw, due)
    pool.shutdown(wait=True)
    wall = time.perf_counter() - t0
    for c in clients:
        c.close()
    by_kind: dict[str, int] = {}
    for e in errors:
        by_kind[e] = by_kind.get(e, 0) + 1
    ok = len(latencies) - sum(1 for e in errors if e.isdigit())
    return {"wall_s": wall, "requests": len(requests), "ok": ok, "errors": len(errors),
            "errors_by_kind": by_kind, "reconnects": sum(c.reconnects for c in clients), "latencies": latencies}


def count_recorded(database_url: str, redis) -> tuple[int, int, int]:
    """(inbound_events rows, messages waiting in the chats' inboxes, drain jobs queued)."""
    from sqlalchemy import text
    from bot.store.db import make_engine
    from bot.queues import Queues
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT count(*) FROM inbound_events")).scalar_one()
    finally:
        engine.dispose()
    inboxes = sum(redis.llen(k) for k in redis.scan_iter("loket:inbox:*", count=1000))
    return rows, inboxes, redis.llen(f"rq:queue:{Queues.INBOUND}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--requests", type=int, default=3000, help="timed requests per endpoint")
    p.add_argument("--warmup", type=int, default=300, help="untimed requests per endpoint first")
    p.add_argument("--concurrency", type=int, default=16, help="client threads = keep-alive connections")
    p.add_argument("--close", action="store_true",
                   help="send `Connection: close` and open a new connection per request (no keep-alive)")
    p.add_argument("--citizens", type=int, default=500, help="distinct From numbers cycled through")
    p.add_argument("--rate", type=float, default=0,
                   help="open loop: send at this many requests per second instead of back to back "
                        "(latency counted from when each request was due)")
    p.add_argument("--endpoints", default=None,
                   help="comma-separated, run in this order (default bare,verify,twilio; with --db postgres "
                        "also record and queue, the floors of a webhook that records durably)")
    p.add_argument("--keep-logs", action="store_true",
                   help="keep the server/worker logs in bench/results/logs/ (always kept when a run fails)")
    args = p.parse_args(argv)
    install_signal_handlers()

    from redis import Redis
    from tests.fakes.twilio_api import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

    redis = Redis.from_url(redis_url())
    redis.flushdb()
    stamp = now_stamp()
    procs = Processes(RESULTS / "logs" / f"webhook_ack-{stamp}")
    tmp = tempfile.TemporaryDirectory(prefix="loket-bench-")
    completed = False
    db = None
    results = []
    try:
        db = make_database(args.db, Path(tmp.name))
        env = base_env(db.url, TWILIO_ACCOUNT_SID=DEFAULT_ACCOUNT_SID, TWILIO_AUTH_TOKEN=DEFAULT_AUTH_TOKEN,
                       MEDIA_DIR=str(Path(tmp.name) / "media"))
        url, gunicorn = start_gunicorn(procs, "gunicorn", "bench.ackapp:create_app()", env)
        port = int(url.rsplit(":", 1)[1])
        host = f"127.0.0.1:{port}"
        server_pids = process_tree(gunicorn.pid)
        print(f"gunicorn -w 2 --threads 4 on {url}, pids {server_pids}, db={db.kind}, "
              f"{args.concurrency} client connections, {args.requests} requests/endpoint", flush=True)

        endpoints = args.endpoints or ("bare,record,queue,verify,twilio" if db.kind == "postgres" else "bare,verify,twilio")
        for name in [e.strip() for e in endpoints.split(",") if e.strip()]:
            path = ENDPOINTS[name]
            reqs = prepare(host, path, args.warmup + args.requests, args.citizens, DEFAULT_AUTH_TOKEN,
                           DEFAULT_ACCOUNT_SID, close=args.close)
            if args.warmup:
                warm = run_load(port, reqs[:args.warmup], args.concurrency)
                if warm["errors"]:
                    print(f"  warm-up of {name}: {warm['errors_by_kind']}", file=sys.stderr)
            server_cpu0, client_cpu0 = cpu_seconds(server_pids), time.process_time()
            per_pid0, machine0 = [cpu_seconds([pid]) for pid in server_pids], machine_busy()
            res = (run_open_loop(port, reqs[args.warmup:], args.concurrency, args.rate) if args.rate
                   else run_load(port, reqs[args.warmup:], args.concurrency))
            server_cpu = cpu_seconds(server_pids) - server_cpu0
            client_cpu = time.process_time() - client_cpu0
            per_pid = [round(cpu_seconds([pid]) - c0, 2) for pid, c0 in zip(server_pids, per_pid0)]
            busy, total = (b - a for a, b in zip(machine0, machine_busy()))
            row = {"endpoint": name, "path": path, **summarize_ms(res.pop("latencies")), **res,
                   "req_per_s": round(res["ok"] / res["wall_s"], 1),
                   "server_cpu_s": round(server_cpu, 2), "client_cpu_s": round(client_cpu, 2),
                   "server_cpu_ms_per_req": round(1000 * server_cpu / max(1, res["requests"]), 2),
                   "server_cpu_by_pid": dict(zip(server_pids, per_pid)),
                   "worker_cpu_split": "/".join(f"{c:.2f}" for c in per_pid[1:]),
                   "machine_busy_pct": round(100 * busy / max(total, 1e-9), 1)}
            if name == "twilio":
                recorded, queued, jobs = count_recorded(db.url, redis)
                row["recorded_rows"], row["queued_messages"], row["queued_jobs"] = recorded, queued, jobs
                row["expected"] = args.warmup + args.requests
            results.append(row)
            print(f"  {name:7s} {row['req_per_s']:8.1f} req/s  p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  "
                  f"errors {row['errors']}  CPU s by pid {row['server_cpu_by_pid']}  "
                  f"machine busy {row['machine_busy_pct']}%", flush=True)
        completed = True
    finally:
        procs.stop_all()
        if completed and not args.keep_logs:
            procs.remove_logs()
        if db is not None:
            db.close()
        redis.flushdb()
        redis.close()
        tmp.cleanup()

    columns = [("endpoint", "endpoint"), ("req_per_s", "req/s"), ("p50_ms", "p50 ms"), ("p90_ms", "p90 ms"),
               ("p99_ms", "p99 ms"), ("max_ms", "max ms"), ("errors", "errors"),
               ("server_cpu_ms_per_req", "server CPU ms/req"), ("worker_cpu_split", "CPU s per gunicorn worker"),
               ("machine_busy_pct", "machine CPU busy %"),
               ("client_cpu_s", "client CPU s")]
    print()
    print(f"webhook_ack  db={args.db}  requests={args.requests}/endpoint  concurrency={args.concurrency}  "
          f"{f'open loop at {args.rate:g} req/s  ' if args.rate else 'closed loop  '}"
          f"{'new connection per request' if args.close else 'keep-alive'}  gunicorn -w 2 --threads 4 (gthread)")
    print(table(results, columns))
    for r in results:
        if r["endpoint"] == "twilio":
            print(f"\n/webhooks/twilio: {r['recorded_rows']} inbound_events rows and {r['queued_messages']} messages "
                  f"in the chats' inboxes ({r['queued_jobs']} drain jobs queued) for "
                  f"{r['expected']} unique MessageSids sent (warm-up included)")
    out = write_json("webhook_ack", {"benchmark": "webhook_ack", "stamp": stamp, "db": args.db,
                                     "requests": args.requests, "warmup": args.warmup,
                                     "concurrency": args.concurrency, "rate": args.rate or None, "keep_alive": not args.close, "gunicorn": "-w 2 --threads 4",
                                     "machine": machine_info(), "results": results})
    print(f"\nwrote {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: every subprocess was stopped", file=sys.stderr)
        sys.exit(130)
