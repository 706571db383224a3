"""Shared plumbing for the benchmarks: processes, databases, a keep-alive HTTP client, statistics.

Nothing here asserts on time: the benchmarks print figures.
"""
from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
VENV_BIN = ROOT / ".venv" / "bin"
PUBLIC = "https://loket.example.go.id"
REDIS_BASE = os.environ.get("LOKET_BENCH_REDIS", "redis://127.0.0.1:6379")
REDIS_DB = int(os.environ.get("LOKET_BENCH_REDIS_DB", "11"))
POSTGRES_URL = os.environ.get("LOKET_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BOT_NUMBER = "whatsapp:+14155238886"
# The Procfile's web line, minus the bind address.
GUNICORN_ARGS = ["-w", "2", "--threads", "4"]


def now_stamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_url() -> str:
    return f"{REDIS_BASE}/{REDIS_DB}"


# --------------------------------------------------------------------------- databases
@dataclass
class Database:
    kind: str
    url: str
    cleanup: list = field(default_factory=list)

    def close(self) -> None:
        for fn in reversed(self.cleanup):
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - best effort at the end of a benchmark
                print(f"cleanup: {exc}", file=sys.stderr)
        self.cleanup.clear()


def make_database(kind: str, workdir: Path) -> Database:
    """A fresh, migrated database: a SQLite file in ``workdir`` or a throw-away PostgreSQL schema."""
    from bot.store.db import upgrade
    if kind == "sqlite":
        db = Database("sqlite", f"sqlite:///{workdir / 'loket.db'}")
    elif kind == "postgres":
        from sqlalchemy import create_engine, text
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        engine = create_engine(POSTGRES_URL)
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))

        def drop():
            with engine.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            engine.dispose()

        db = Database("postgres", f"{POSTGRES_URL}?options=-csearch_path%3D{schema}", [drop])
    else:
        raise SystemExit(f"unknown --db {kind!r} (sqlite or postgres)")
    upgrade(db.url)
    return db


# --------------------------------------------------------------------------- processes
class Processes:
    """Subprocesses started by a benchmark, each in its own session, all stopped by ``stop_all``."""

    def __init__(self, logdir: Path):
        self.logdir = logdir
        self.procs: list[tuple[str, subprocess.Popen, object]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        self.logdir.mkdir(parents=True, exist_ok=True)
        log = open(self.logdir / f"{name}.log", "wb")
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs.append((name, proc, log))
        return proc

    def stop_all(self, grace: float = 8.0) -> None:
        """SIGTERM each process group we started, then SIGKILL what is left after ``grace`` seconds."""
        for _name, proc, _log in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + grace
        for _name, proc, _log in self.procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        for _name, proc, log in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # also any orphaned children (RQ work horses)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            log.close()
        self.procs.clear()

    def remove_logs(self) -> None:
        """Delete this run's process logs (kept when a run fails or with --keep-logs)."""
        import shutil
        shutil.rmtree(self.logdir, ignore_errors=True)
        try:
            self.logdir.parent.rmdir()  # bench/results/logs, when no other run's logs are in it
        except OSError:
            pass


def install_signal_handlers() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so ``finally`` blocks stop the subprocesses."""
    def _exit(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _exit)


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "TELEGRAM_", "DATABASE_", "REDIS_"))}
    env.update({
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "PUBLIC_BASE_URL": PUBLIC,
        "SECRET_KEY": env.get("SECRET_KEY") or "bench-" + uuid.uuid4().hex,  # web and worker refuse to start without one
        "PYTHONUNBUFFERED": "1",
        "PATH": f"{VENV_BIN}:{env.get('PATH', '')}",
    })
    env.update(extra)
    return env


def start_gunicorn(procs: Processes, name: str, app_spec: str, env: dict[str, str]) -> tuple[str, subprocess.Popen]:
    port = free_port()
    argv = [str(VENV_BIN / "gunicorn"), *GUNICORN_ARGS, "-b", f"127.0.0.1:{port}", app_spec]
    proc = procs.start(name, argv, env)
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/healthz", proc, timeout=30)
    return url, proc


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 30) -> None:
    import urllib.request
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for {url} exited with {proc.returncode}; see bench/results/logs")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} not ready after {timeout}s")
        time.sleep(0.1)


def process_tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def cpu_seconds(pids: list[int], children: bool = False) -> float:
    """User+system CPU seconds of the given processes; with ``children``, plus their reaped children's
    (an RQ worker's work horses, forked per job)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if children:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime
        except OSError:
            pass
    return total / tick


# --------------------------------------------------------------------------- HTTP client
def build_post(host: str, path: str, form: dict[str, str], headers: dict[str, str]) -> bytes:
    """A complete HTTP/1.1 keep-alive POST of ``form`` as raw bytes (built before the clock starts)."""
    from urllib.parse import urlencode
    body = urlencode(form).encode()
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}", "User-Agent: TwilioProxy/1.1",
             "Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class KeepAliveClient:
    """One persistent connection; sends prepared requests and reads (status, body)."""

    def __init__(self, host: str, port: int, timeout: float = 30):
        self.addr, self.timeout = (host, port), timeout
        self.sock: socket.socket | None = None
        self.buf = b""
        self.reconnects = 0

    def _connect(self) -> None:
        self.sock = socket.create_connection(self.addr, timeout=self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def request(self, raw: bytes) -> tuple[int, bytes]:
        for attempt in (0, 1):
            if self.sock is None:
                self._connect()
                if attempt:
                    self.reconnects += 1
            try:
                self.sock.sendall(raw)
                return self._read()
            except (ConnectionError, _Closed):
                self.close()  # the server closed an idle keep-alive connection: retry once on a new one
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _recv(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise _Closed()
        self.buf += chunk

    def _read(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self.buf:
            self._recv()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            k = k.strip().lower()
            if k == b"content-length":
                length = int(v)
            elif k == b"connection" and v.strip().lower() == b"close":
                close = True
        while len(self.buf) < length:
            self._recv()
        body, self.buf = self.buf[:length], self.buf[length:]
        if close:
            self.close()
        return status, body


class _Closed(Exception):
    pass


# --------------------------------------------------------------------------- statistics
def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an already sorted list (NaN when empty)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, math.ceil(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def summarize_ms(values_s: list[float]) -> dict[str, float]:
    v = sorted(values_s)
    ms = lambda x: round(x * 1000, 2)  # noqa: E731
    return {"n": len(v), "p50_ms": ms(percentile(v, 50)), "p90_ms": ms(percentile(v, 90)),
            "p99_ms": ms(percentile(v, 99)), "max_ms": ms(v[-1]) if v else float("nan"),
            "mean_ms": ms(sum(v) / len(v)) if v else float("nan")}


def table(rows: list[dict], columns: list[tuple[str, str]]) -> str:
    """A Markdown table of ``rows`` with (key, header) ``columns``."""
    def fmt(x):
        if isinstance(x, float):
            return f"{x:.1f}" if abs(x) >= 10 else f"{x:.2f}"
        return str(x)
    out = ["| " + " | ".join(h for _, h in columns) + " |", "|" + "|".join("---:" for _ in columns) + "|"]
    for r in rows:
        out.append("| " + " | ".join(fmt(r.get(k, "")) for k, _ in columns) + " |")
    return "\n".join(out)


def machine_busy() -> tuple[int, int]:
    """(busy, total) jiffies of all CPUs from /proc/stat; diff two readings for a utilisation."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    total = sum(fields[:8])
    return total - idle, total


def machine_info() -> dict:
    import platform
    info = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def write_json(name: str, data: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}-{now_stamp()}.json"
    path.write_text(json.dumps(data, indent=2, default=str))
    return path
