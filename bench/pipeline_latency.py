"""Inbound -> sent latency at steady message rates, through the whole system.

    .venv/bin/python bench/pipeline_latency.py                    # 5, 10, 20 msg/s for 20 s each, SQLite
    .venv/bin/python bench/pipeline_latency.py --db postgres --rates 5,10 --duration 15
    .venv/bin/python bench/pipeline_latency.py --workers simple   # RQ SimpleWorker instead (no fork per job)
    .venv/bin/python bench/pipeline_latency.py --workers preload  # forking, job code loaded before the fork

What runs: ``FakeTwilio`` (tests/fakes, a thread server in this process), the web app under gunicorn
with the Procfile's settings (``webhooks:create_app()``, ``-w 2 --threads 4``) and two real
``loket worker`` processes (the Procfile's worker), all on Redis DB 11 (flushed) and a fresh SQLite
file or PostgreSQL schema. Twilio's REST API is the fake: ``TWILIO_API_BASE_URL`` points there.

What is sent: signed inbound WhatsApp forms (``make_inbound``), open loop at a fixed rate. Each
citizen says "halo", then "1", then "biaya konsultasi", its messages spaced ``--gap`` seconds apart
(citizens are interleaved to keep the rate); every rate uses new citizens.

What is measured, per inbound: from the start of its webhook POST to the moment FakeTwilio recorded
the *first* reply to it (and the last one of that turn). Replies are matched to their inbound
exactly, not by timing: the worker stores each reply under the key ``reply:<inbound id>:<n>`` with
Twilio's SID, and FakeTwilio records the SID and (here) the time it was received.
Nothing asserts on time: this prints figures and writes ``bench/results/pipeline_latency-*.json``.
"""
from __future__ import annotations

import argparse
import math
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (BOT_NUMBER, GUNICORN_ARGS, PUBLIC, RESULTS, VENV_BIN, KeepAliveClient, Processes,  # noqa: E402
                          base_env, build_post, cpu_seconds, install_signal_handlers, machine_info,
                          make_database, now_stamp, process_tree, redis_url, start_gunicorn, summarize_ms,
                          table, write_json)
from tests.fakes.twilio_api import FakeTwilio, make_inbound, signed_inbound  # noqa: E402

SCRIPT = ("halo", "1", "biaya konsultasi")
QUEUE_KEYS = ("rq:queue:loket-inbound", "rq:queue:loket-send", "rq:queue:loket-scheduled", "rq:queue:echo-inbound")
JOB_SUM = 'job_seconds_sum{channel="whatsapp"}'
JOB_COUNT = 'job_seconds_count{channel="whatsapp"}'


class _TimedSent(list):
    """``FakeTwilio.sent`` that notes when each accepted message was recorded (monotonic clock)."""

    def __init__(self):
        super().__init__()
        self.received: dict[str, float] = {}

    def append(self, item):
        self.received[item["sid"]] = time.monotonic()
        super().append(item)


class TimedFakeTwilio(FakeTwilio):
    """FakeTwilio that notes when each message arrived.

    ``latency`` (``--api-latency-ms``): the real Messages API is an ocean away from an Indonesian
    deployment, and its answer takes a round trip across the Pacific plus Twilio's own work, where the
    local fake answers in a millisecond. A worker that waits for each answer is bound by that wait,
    not by its CPU.
    """

    def __init__(self, *a, latency: float = 0.0, **kw):
        super().__init__(*a, **kw)
        self.sent = _TimedSent()
        self.latency = latency


# --------------------------------------------------------------------------- sending
class Sender:
    """Posts prepared webhook requests from a small thread pool, one keep-alive connection per thread."""

    def __init__(self, port: int, threads: int = 16):
        self.port = port
        self.local = threading.local()
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="post")
        self.clients: list[KeepAliveClient] = []
        self.lock = threading.Lock()

    def _client(self) -> KeepAliveClient:
        c = getattr(self.local, "client", None)
        if c is None:
            c = self.local.client = KeepAliveClient("127.0.0.1", self.port)
            with self.lock:
                self.clients.append(c)
        return c

    def post(self, raw: bytes, record: dict) -> None:
        record["t_post"] = time.monotonic()
        try:
            status, _ = self._client().request(raw)
        except OSError as exc:
            record["error"] = type(exc).__name__
            return
        record["t_ack"] = time.monotonic()
        record["status"] = status

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        for c in self.clients:
            c.close()


def plan(rate: float, duration: float, gap: float, phase: int) -> list[tuple[str, str]]:
    """(citizen, text) for each message of a phase: W citizens interleaved so each waits ``gap`` s."""
    n = int(round(rate * duration))
    w = max(1, math.ceil(gap * rate))
    out = []
    for k in range(n):
        group, idx = divmod(k, w * len(SCRIPT))
        step, member = divmod(idx, w)
        citizen = f"whatsapp:+6285{phase:02d}{group * w + member:06d}"
        out.append((citizen, SCRIPT[step]))
    return out


def prepare(host: str, messages: list[tuple[str, str]], token: str, account_sid: str) -> list[tuple[bytes, dict]]:
    path = "/webhooks/twilio"
    out = []
    for citizen, text in messages:
        form = make_inbound(body=text, from_=citizen, to=BOT_NUMBER, account_sid=account_sid,
                            profile_name="Warga Bench")
        _, sig = signed_inbound(PUBLIC + path, form, token)
        out.append((build_post(host, path, form, {"X-Twilio-Signature": sig}),
                    {"sid": form["MessageSid"], "to": citizen, "text": text}))
    return out


# --------------------------------------------------------------------------- observing
class QueueSampler(threading.Thread):
    def __init__(self, redis, every: float = 0.25):
        super().__init__(daemon=True)
        self.redis, self.every = redis, every
        self.samples: list[int] = []
        self.stop_event = threading.Event()

    def run(self) -> None:
        while not self.stop_event.is_set():
            pipe = self.redis.pipeline()
            for k in QUEUE_KEYS:
                pipe.llen(k)
            self.samples.append(sum(pipe.execute()))
            self.stop_event.wait(self.every)

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def db_state(engine, sids: list[str]) -> tuple[dict[str, tuple[int, bool]], dict[int, list[str]]]:
    """For the given MessageSids: {sid: (inbound id, processed)}, and {inbound id: reply SIDs in order}."""
    from sqlalchemy import text
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, platform_id, processed_at FROM inbound_events")).all()
        replies = conn.execute(text("SELECT key, platform_id FROM messages WHERE key LIKE 'reply:%'")).all()
    wanted = set(sids)
    inbound = {r.platform_id: (r.id, r.processed_at is not None) for r in rows if r.platform_id in wanted}
    by_inbound: dict[int, list[tuple[int, str]]] = {}
    for key, platform_id in replies:
        _, inbound_id, n = key.split(":")
        if platform_id:
            by_inbound.setdefault(int(inbound_id), []).append((int(n), platform_id))
    return inbound, {k: [sid for _, p in sorted(v) for sid in p.split(",")] for k, v in by_inbound.items()}


def failed_jobs(redis) -> tuple[int, list[str]]:
    """How many Loket jobs failed so far, and the last lines of a few of their tracebacks."""
    from rq import Queue
    total, samples = 0, []
    for name in ("loket-inbound", "loket-send", "loket-scheduled", "echo-inbound"):
        q = Queue(name, connection=redis)
        reg = q.failed_job_registry
        ids = reg.get_job_ids()
        total += len(ids)
        for job_id in ids[:3]:
            job = q.fetch_job(job_id)
            result = job.latest_result() if job else None
            if result is not None and result.exc_string:
                samples.append(result.exc_string.strip().splitlines()[-1][:300])
    return total, samples


def job_metrics(redis) -> tuple[float, int]:
    raw = redis.hmget("loket:metrics", [JOB_SUM, JOB_COUNT])
    return float(raw[0] or 0), int(raw[1] or 0)


class LoketTracker:
    """Which inbound messages Loket finished, and its replies to each (by ``reply:<inbound id>:<n>`` keys)."""

    def __init__(self, engine, fake: TimedFakeTwilio):
        self.engine, self.fake = engine, fake

    def done(self, records: list[dict]) -> int:
        inbound, _ = db_state(self.engine, [r["sid"] for r in records])
        return sum(1 for _, processed in inbound.values() if processed)

    def reply_times(self, records: list[dict]) -> tuple[list[list[float]], int]:
        """Per record, the times FakeTwilio received its replies; and how many replies were sent."""
        inbound, replies = db_state(self.engine, [r["sid"] for r in records])
        received = dict(self.fake.sent.received)
        out = []
        for r in records:
            inbound_id = inbound.get(r["sid"], (None, False))[0]
            out.append([received[s] for s in replies.get(inbound_id, []) if s in received])
        return out, sum(len(replies.get(v[0], [])) for v in inbound.values())


class EchoTracker:
    """The echo bot's replies: the same text back to the same citizen (each pair is unique in a phase)."""

    def __init__(self, fake: TimedFakeTwilio):
        self.fake = fake

    def _by_pair(self) -> dict[tuple[str, str], list[float]]:
        received = dict(self.fake.sent.received)
        out: dict[tuple[str, str], list[float]] = {}
        for item in list(self.fake.sent):
            if item["sid"] in received:
                out.setdefault((item.get("To"), item.get("Body")), []).append(received[item["sid"]])
        return out

    def done(self, records: list[dict]) -> int:
        pairs = self._by_pair()
        return sum(1 for r in records if (r["to"], r["text"]) in pairs)

    def reply_times(self, records: list[dict]) -> tuple[list[list[float]], int]:
        pairs = self._by_pair()
        out = [pairs.get((r["to"], r["text"]), []) for r in records]
        return out, sum(len(t) for t in out)


def run_phase(phase: int, rate: float, args, sender: Sender, host: str, fake: TimedFakeTwilio, tracker, redis,
              cpu_pids: dict[str, list[int]]) -> dict:
    prepared = prepare(host, plan(rate, args.duration, args.gap, phase), fake.auth_token, fake.account_sid)
    records = [r for _, r in prepared]
    job_sum0, job_count0 = job_metrics(redis)
    cpu0 = {k: cpu_seconds(v, children=True) for k, v in cpu_pids.items()}
    sampler = QueueSampler(redis)
    sampler.start()
    t0 = time.monotonic() + 0.05
    late = 0.0
    for k, (raw, record) in enumerate(prepared):
        target = t0 + k / rate
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        else:
            late = max(late, -delay)
        sender.pool.submit(sender.post, raw, record)
    send_end = time.monotonic()
    # Drain: until every inbound of this phase is processed (or the deadline passes).
    deadline = send_end + args.drain
    while True:
        time.sleep(0.25)
        if tracker.done(records) >= len(records) or time.monotonic() > deadline:
            break
    drained_at = time.monotonic()
    sampler.stop()
    cpu = {k: round(cpu_seconds(v, children=True) - cpu0[k], 2) for k, v in cpu_pids.items()}
    job_sum1, job_count1 = job_metrics(redis)
    failed, failures = failed_jobs(redis)
    times_by_record, n_replies = tracker.reply_times(records)

    first, last, acks, missing, errors = [], [], [], 0, 0
    first_times = []
    for r, times in zip(records, times_by_record):
        if r.get("error") or r.get("status") != 200:
            errors += 1
            continue
        acks.append(r["t_ack"] - r["t_post"])
        if not times:
            missing += 1
            continue
        first.append(min(times) - r["t_post"])
        last.append(max(times) - r["t_post"])
        first_times.append(min(times))
    span = (max(first_times) - t0) if first_times else float("nan")
    answered = max(1, len(first))
    row = {
        "rate": rate, "sent": len(records), "errors": errors, "answered": len(first), "unanswered": missing,
        "citizens": len({r["to"] for r in records}),
        "first_reply": summarize_ms(first), "turn_done": summarize_ms(last), "ack": summarize_ms(acks),
        "throughput_turns_per_s": round(len(first) / span, 2) if first else 0.0,
        "replies_sent": n_replies, "send_schedule_late_max_ms": round(late * 1000, 1),
        "drain_s": round(drained_at - send_end, 2), "queue_depth_max": max(sampler.samples or [0]),
        "job_seconds_mean_ms": round(1000 * (job_sum1 - job_sum0) / max(1, job_count1 - job_count0), 2),
        "jobs_measured": job_count1 - job_count0, "cpu_s": cpu,
        # CPU per answered message, from /proc of the web server's and the workers' processes.
        "cpu_ms_per_msg": {k: round(1000 * v / answered, 2) for k, v in cpu.items()},
        "failed_jobs_so_far": failed, "failure_samples": failures,
    }
    return row


def wait_workers(redis, n: int, procs: list, timeout: float = 30) -> None:
    from rq import Worker
    deadline = time.monotonic() + timeout
    while len(Worker.all(connection=redis)) < n:
        for p in procs:
            if p.poll() is not None:
                raise RuntimeError(f"worker exited with {p.returncode}; see bench/results/logs")
        if time.monotonic() > deadline:
            raise RuntimeError("workers did not register in time")
        time.sleep(0.1)


def worker_argv(kind: str) -> list[str]:
    if kind == "loket":
        return [str(VENV_BIN / "loket"), "worker"]
    if kind == "preload":
        return [str(VENV_BIN / "python"), "bench/preloaded_worker.py"]
    if kind == "echo":
        return [str(VENV_BIN / "rq"), "worker", "-w", "rq.worker.SimpleWorker", "-u", redis_url(), "echo-inbound"]
    return [str(VENV_BIN / "rq"), "worker", "-w", "rq.worker.SimpleWorker", "--with-scheduler",
            "-u", redis_url(), "loket-inbound", "loket-send", "loket-scheduled"]


def run_system(bot: str, args, rates: list[float], procs: Processes, fake: TimedFakeTwilio, env: dict, engine,
               redis, phase0: int) -> tuple[list[dict], list[float]]:
    """Start ``bot``'s web server and workers, run every rate, stop them; (rows, skipped rates)."""
    app_spec = "bench.echo_bot:create_app()" if bot == "echo" else "webhooks:create_app()"
    url, gunicorn = start_gunicorn(procs, f"{bot}-gunicorn", app_spec, env)
    port = int(url.rsplit(":", 1)[1])
    host = f"127.0.0.1:{port}"
    kind = "echo" if bot == "echo" else args.workers
    workers = [procs.start(f"{bot}-worker{i + 1}", worker_argv(kind), env) for i in range(args.nworkers)]
    sender = None
    results: list[dict] = []
    skipped: list[float] = []
    try:
        wait_workers(redis, args.nworkers, workers)
        cpu_pids = {"web": process_tree(gunicorn.pid), "workers": [w.pid for w in workers]}
        tracker = EchoTracker(fake) if bot == "echo" else LoketTracker(engine, fake)
        sender = Sender(port)
        print(f"{bot}: web {url} (gunicorn {' '.join(GUNICORN_ARGS)}), {args.nworkers} x {kind} worker", flush=True)
        # Warm-up: a few whole conversations, not measured.
        warm = prepare(host, plan(2, 3, 0.5, phase0 + 99 if phase0 < 50 else 98), fake.auth_token, fake.account_sid)
        sent_before = len(fake.sent)
        for raw, rec in warm:
            sender.post(raw, rec)
        deadline = time.monotonic() + 30
        while len(fake.sent) < sent_before + len(warm):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{bot}: the warm-up was not answered within 30 s; see bench/results/logs")
            time.sleep(0.1)
        for phase, rate in enumerate(rates, start=1):
            print(f"{bot}: rate {rate:g} msg/s for {args.duration:g} s ...", flush=True)
            row = run_phase(phase0 + phase, rate, args, sender, host, fake, tracker, redis, cpu_pids)
            row["bot"] = bot
            results.append(row)
            f = row["first_reply"]
            print(f"  answered {row['answered']}/{row['sent']}  first reply p50 {f['p50_ms']} ms  "
                  f"p99 {f['p99_ms']} ms  max {f['max_ms']} ms  queue max {row['queue_depth_max']}  "
                  f"drain {row['drain_s']} s  CPU ms/msg web {row['cpu_ms_per_msg']['web']} "
                  f"workers {row['cpu_ms_per_msg']['workers']}", flush=True)
            if row["failed_jobs_so_far"]:
                print(f"  failed RQ jobs so far: {row['failed_jobs_so_far']}: {row['failure_samples']}", flush=True)
            if row["unanswered"] and not args.keep_going:
                skipped = rates[phase:]
                if skipped:
                    print(f"  not drained within {args.drain:g} s: skipping {skipped}", flush=True)
                break
    finally:
        if sender is not None:
            sender.close()
    return results, skipped


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--rates", default="5,10,20", help="messages per second, comma-separated, run in order")
    p.add_argument("--duration", type=float, default=20, help="seconds of sending per rate")
    p.add_argument("--drain", type=float, default=20, help="seconds to wait for the backlog after sending")
    p.add_argument("--gap", type=float, default=2.0, help="seconds between one citizen's messages")
    p.add_argument("--workers", choices=["loket", "preload", "simple"], default="loket",
                   help="loket: `loket worker` (as in the Procfile); for comparison, "
                        "preload: the same after importing the job code and loading the content pack "
                        "(bench/preloaded_worker.py); simple: `rq worker -w rq.worker.SimpleWorker`")
    p.add_argument("--nworkers", type=int, default=2, help="worker processes (M), for Loket and the echo bot")
    p.add_argument("--sender-mps", type=int, default=None,
                   help="TWILIO_SENDER_MPS for Loket: the bot's number's throughput (Twilio's default, 80, "
                        "when not given); the echo bot has no limit")
    p.add_argument("--api-latency-ms", type=float, default=0.0,
                   help="FakeTwilio answers each send this much later (the real API's round trip from "
                        "Indonesia, for both bots); 0: at once")
    p.add_argument("--no-echo", action="store_true",
                   help="skip the echo-bot baseline (bench/echo_bot.py) that otherwise runs the same rates after Loket")
    p.add_argument("--keep-going", action="store_true",
                   help="run the next rate even when the previous one did not drain")
    p.add_argument("--keep-logs", action="store_true",
                   help="keep the server/worker logs in bench/results/logs/ (always kept when a run fails)")
    args = p.parse_args(argv)
    install_signal_handlers()
    rates = [float(r) for r in args.rates.split(",") if r.strip()]

    from redis import Redis
    from bot.store.db import make_engine

    redis = Redis.from_url(redis_url())
    redis.flushdb()
    stamp = now_stamp()
    procs = Processes(RESULTS / "logs" / f"pipeline_latency-{stamp}")
    tmp = tempfile.TemporaryDirectory(prefix="loket-bench-")
    completed = False
    fake = TimedFakeTwilio(latency=args.api_latency_ms / 1000)
    db = engine = None
    results: list[dict] = []
    skipped: dict[str, list[float]] = {}
    try:
        fake.start()
        db = make_database(args.db, Path(tmp.name))
        engine = make_engine(db.url)
        env = base_env(db.url, TWILIO_ACCOUNT_SID=fake.account_sid, TWILIO_AUTH_TOKEN=fake.auth_token,
                       TWILIO_WHATSAPP_FROM=BOT_NUMBER, TWILIO_API_BASE_URL=fake.url,
                       MEDIA_DIR=str(Path(tmp.name) / "media"),
                       **({"TWILIO_SENDER_MPS": str(args.sender_mps)} if args.sender_mps else {}))
        print(f"db={db.kind}, fake Twilio {fake.url} answering after {args.api_latency_ms:g} ms, sender "
              f"throughput {args.sender_mps or 'default (80 msg/s)'}", flush=True)
        for bot, phase0 in [("loket", 0)] + ([] if args.no_echo else [("echo", 50)]):
            try:
                rows, skipped[bot] = run_system(bot, args, rates, procs, fake, env, engine, redis, phase0)
                results += rows
            finally:
                procs.stop_all()
                redis.flushdb()
        completed = not any(r["unanswered"] or r["errors"] for r in results)  # keep the logs of a bad run
    finally:
        procs.stop_all()
        if completed and not args.keep_logs:
            procs.remove_logs()
        if engine is not None:
            engine.dispose()
        if db is not None:
            db.close()
        fake.stop()
        redis.flushdb()
        redis.close()
        tmp.cleanup()

    rows = [{"bot": r["bot"], "rate": r["rate"], "sent": r["sent"], "answered": r["answered"],
             "p50": r["first_reply"]["p50_ms"], "p90": r["first_reply"]["p90_ms"],
             "p99": r["first_reply"]["p99_ms"], "max": r["first_reply"]["max_ms"],
             "done_p99": r["turn_done"]["p99_ms"],
             "tput": r["throughput_turns_per_s"], "ack_p99": r["ack"]["p99_ms"],
             "job": r["job_seconds_mean_ms"], "qmax": r["queue_depth_max"],
             "cpu_web": r["cpu_ms_per_msg"]["web"], "cpu_workers": r["cpu_ms_per_msg"]["workers"],
             "cpu_total": round(r["cpu_ms_per_msg"]["web"] + r["cpu_ms_per_msg"]["workers"], 2)} for r in results]
    print()
    print(f"pipeline_latency  db={args.db}  API latency {args.api_latency_ms:g} ms  workers={args.nworkers} x {args.workers} (echo: {args.nworkers} x rq "
          f"SimpleWorker)  {args.duration:g} s per rate  (latencies in ms, from webhook POST to FakeTwilio "
          f"receiving the reply; CPU in ms per answered message)")
    print(table(rows, [("bot", "bot"), ("rate", "msg/s"), ("sent", "sent"), ("answered", "answered"),
                       ("p50", "1st reply p50"), ("p90", "p90"), ("p99", "p99"), ("max", "max"),
                       ("done_p99", "turn done p99"), ("tput", "turns/s"), ("ack_p99", "ack p99"),
                       ("job", "job mean"), ("qmax", "max queued"), ("cpu_web", "CPU web"),
                       ("cpu_workers", "CPU workers"), ("cpu_total", "CPU total")]))
    best = {bot: max((r["throughput_turns_per_s"] for r in results if r["bot"] == bot and not r["unanswered"]),
                     default=0.0) for bot in {r["bot"] for r in results}}
    if "echo" in best and best["echo"]:
        print(f"\nsustained (every message answered): loket {best.get('loket', 0):g} turns/s, echo {best['echo']:g} "
              f"turns/s ({100 * best.get('loket', 0) / best['echo']:.0f}% of the echo bot)")
    for bot, rest in skipped.items():
        if rest:
            print(f"\n{bot}: skipped rates {rest}: the previous rate was not answered within {args.drain:g} s of its end")
    out = write_json("pipeline_latency", {"benchmark": "pipeline_latency", "stamp": stamp, "db": args.db,
                                          "workers": args.workers, "nworkers": args.nworkers,
                                          "duration_s": args.duration, "api_latency_ms": args.api_latency_ms, "gap_s": args.gap, "drain_s": args.drain,
                                          "machine": machine_info(), "results": results, "skipped": skipped})
    print(f"\nwrote {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("interrupted: every subprocess was stopped", file=sys.stderr)
        sys.exit(130)
