"""``loket demo``: the whole system on one machine, no credentials needed.

Starts (1) Redis if ``REDIS_URL`` does not answer — Debian's ``redis-server``
on a free port, in memory only; (2) the web app under gunicorn; (3) an RQ
worker with its scheduler; (4) Loket's scheduler. SQLite in ``instance/``.
Ctrl-C (or SIGTERM) stops everything.

With the shipped content it serves the deployment of ``content/_demo/``
(cli/demo_deployment.py): two agencies, one on its own number and both behind a
front desk, with their officers registered; the simulator page plays every
number and bot, the officers' groups included.

Each child runs in its own process group, so Ctrl-C in the terminal reaches
only the demo, which then stops the children in order: web, scheduler and
worker first, Redis last (the worker needs it to shut down cleanly). Anything
still running after a grace period is killed with its whole process group
(gunicorn's workers, the RQ worker's scheduler). On Linux the children also
get SIGTERM if the demo itself dies without cleaning up.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from bot.store.db import make_engine, make_session_factory, session_scope, upgrade
from bot.settings import PROJECT_ROOT, Settings
from bot.tenancy import agency_ids, default_agency, load_channels
from cli.demo_deployment import DemoDeployment, lay_out, load_demo, register_officers

STOP_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)
GRACE_SECONDS = 10.0
MAX_WORKER_RESTARTS = 5  # a worker that quits (RQ does on a Redis timeout) is started again this often
READY_SECONDS = 60.0


class _Stop(Exception):
    """Raised in the main flow (never inside a signal handler) once a stop signal has arrived."""


class _Signals:
    """Remembers the first stop signal; the main loop polls it, so no exception lands mid-``Popen``."""

    def __init__(self) -> None:
        self.received: int | None = None
        self.stopping = False

    def __call__(self, signum, _frame) -> None:
        if self.stopping:
            print("loket demo: still stopping, please wait…", file=sys.stderr, flush=True)
            return
        self.received = signum

    def check(self) -> None:
        if self.received is not None:
            raise _Stop()

    def sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            self.check()
            left = end - time.monotonic()
            if left <= 0:
                return
            time.sleep(min(0.1, left))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: TIME_WAIT is no obstacle
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _redis_answers(url: str) -> bool:
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        return bool(client.ping())
    except (RedisError, OSError):
        return False
    finally:
        client.close()


def _die_with_parent():
    """A ``preexec_fn`` (Linux): SIGTERM this child when the demo process dies, even by SIGKILL."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, int(signal.SIGTERM), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the demo died between fork and prctl
            os._exit(1)

    return preexec


def _spawn(procs: list, name: str, args: list[str], **kw) -> subprocess.Popen:
    preexec = _die_with_parent()
    proc = subprocess.Popen(args, process_group=0, preexec_fn=preexec, cwd=str(PROJECT_ROOT), **kw)
    procs.append((name, proc))
    return proc


def _start_redis(procs: list, signals: _Signals) -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("loket demo: no Redis at REDIS_URL and no redis-server to start "
                         "(install it: apt-get install redis-server)")
    port = _free_port()
    proc = _spawn(procs, "redis", [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                   "--appendonly", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _redis_answers(url):
            return url
        if proc.poll() is not None:
            break
        signals.sleep(0.1)
    raise SystemExit("loket demo: the Redis it started did not answer")


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _wait_ready(base: str, procs: list, signals: _Signals) -> str | None:
    """Wait for the web app to answer /healthz; the name of a child that died instead, or None."""
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        dead = [name for name, p in procs if p.poll() is not None]
        if dead:
            return ", ".join(dead)
        if _healthy(base):
            return None
        signals.sleep(0.25)
    return "web (no answer from /healthz)"


def _terminate(group: list, deadline: float) -> None:
    for _, p in group:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)  # the leader stops its own helpers (gunicorn workers, RQ's horse)
    for name, p in group:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"loket demo: {name} did not stop in time; killing it", file=sys.stderr, flush=True)
        # Whatever is left in the child's process group (gunicorn workers, RQ's scheduler) goes too.
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        p.wait()


def _stop(procs: list) -> None:
    """Stop the children: everything that uses Redis first, then Redis."""
    first = [(n, p) for n, p in reversed(procs) if n != "redis"]
    last = [(n, p) for n, p in procs if n == "redis"]
    _terminate(first, time.monotonic() + GRACE_SECONDS)
    _terminate(last, time.monotonic() + 5)


def _serve_demo(settings: Settings, demo: DemoDeployment) -> Settings:
    """The settings serving the demo deployment from a content folder of its own (removed at the end)."""
    folder = lay_out(demo, settings.content_dir, Path(tempfile.mkdtemp(prefix="loket-demo-content-")))
    return settings.with_(content_dir=folder, agencies=",".join(demo.agencies))


def _register_officers(settings: Settings, demo: DemoDeployment) -> None:
    engine = make_engine(settings.database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            register_officers(session, demo)
    finally:
        engine.dispose()


def _what_it_serves(settings: Settings, demo: DemoDeployment | None) -> str:
    """The banner's lines on the agencies, numbers and officers (no secrets: none exist in the demo)."""
    lines = [f"  agencies       : {', '.join(agency_ids(settings))}"]
    for inst in load_channels(settings, agency_ids(settings)).instances:
        where = (inst.address or "bot").removeprefix("whatsapp:")
        lines.append(f"  channel        : {inst.id:<10} {inst.provider:<9} {where:<15} {', '.join(inst.agencies)}")
    for officer in demo.officers if demo else ():
        lines.append(f"  officer        : {officer.name} ({officer.role}, {officer.agency}: {', '.join(officer.units)})")
    if demo is not None:
        lines.append(f"  content        : {settings.content_dir} (links to the packs; removed when the demo stops)")
    return "\n".join(lines)


def run_demo(settings: Settings) -> int:
    demo = load_demo(settings.content_dir)
    if demo is not None:
        settings = _serve_demo(settings, demo)
    try:
        return _run(settings, demo)
    finally:
        if demo is not None:
            shutil.rmtree(settings.content_dir, ignore_errors=True)  # links and copies only


def _run(settings: Settings, demo: DemoDeployment | None) -> int:
    procs: list[tuple[str, subprocess.Popen]] = []
    signals = _Signals()
    previous = {s: signal.signal(s, signals) for s in STOP_SIGNALS}
    try:
        if not _port_free(settings.port):
            print(f"loket demo: port {settings.port} is in use; choose another with PORT=…", file=sys.stderr)
            return 2
        if _redis_answers(settings.redis_url):
            redis_url, redis_note = settings.redis_url, f"existing Redis at {settings.redis_url}"
        else:
            redis_url = _start_redis(procs, signals)
            redis_note = f"redis-server started by the demo at {redis_url} (in memory)"
        signals.check()
        upgrade(settings.database_url, agency=default_agency(settings))
        if demo is not None:
            _register_officers(settings, demo)
        signals.check()
        base = f"http://127.0.0.1:{settings.port}"
        env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=settings.database_url, LOKET_SIMULATOR="1",
                   PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", base), LOKET_QUEUE_PREFIX="demo-",
                   CONTENT_DIR=str(settings.content_dir), CONTENT_PACK=settings.content_pack,
                   AGENCIES=settings.agencies,
                   # A fresh key per run unless one is given: evidence links of an earlier run stop working.
                   SECRET_KEY=settings.secret_key or secrets.token_urlsafe(32), PYTHONUNBUFFERED="1")
        py = sys.executable
        _spawn(procs, "web", [py, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{settings.port}",
                              "--log-level", "warning", "--graceful-timeout", "5", "webhooks:create_app()"], env=env)
        _spawn(procs, "worker", [py, "-m", "cli.main", "worker"], env=env)
        _spawn(procs, "scheduler", [py, "-m", "cli.main", "scheduler"], env=env)
        dead = _wait_ready(base, procs, signals)
        if dead:
            print(f"loket demo: {dead} stopped during start-up; shutting down", file=sys.stderr, flush=True)
            return 1
        print(f"""
Loket demo is running.
  chat simulator : {base}/simulator   (citizen and officer side by side)
{_what_it_serves(settings, demo)}
  health         : {base}/healthz    metrics: {base}/metrics
  web            : gunicorn, 2 workers, 127.0.0.1:{settings.port}
  worker         : RQ worker with scheduler (queues demo-loket-inbound, demo-loket-send, demo-loket-scheduled)
  scheduler      : SLA watch and daily digest
  redis          : {redis_note}
  database       : {settings.database_url}
Press Ctrl-C to stop.
""", flush=True)
        restarts = 0
        while True:
            dead = [name for name, p in procs if p.poll() is not None]
            if dead == ["worker"] and restarts < MAX_WORKER_RESTARTS:
                # RQ's worker quits on a Redis timeout; a process manager would start it again, and so do we.
                restarts += 1
                print("loket demo: worker stopped; starting it again", file=sys.stderr, flush=True)
                procs[:] = [(n, p) for n, p in procs if n != "worker"]
                _spawn(procs, "worker", [py, "-m", "cli.main", "worker"], env=env)
                continue
            if dead:
                print(f"loket demo: {', '.join(dead)} stopped; shutting down", file=sys.stderr, flush=True)
                return 1
            signals.sleep(0.5)
    except (_Stop, KeyboardInterrupt):
        print("\nloket demo: stopping…", flush=True)
        return 0
    finally:
        signals.stopping = True
        try:
            _stop(procs)
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
        if signals.received is not None or procs:
            print("loket demo: stopped", flush=True)
