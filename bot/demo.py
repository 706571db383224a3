"""``loket demo``: the whole system on one machine, no credentials needed.

Starts (1) Redis if ``REDIS_URL`` does not answer — Debian's ``redis-server``
on a free port, in memory only; (2) the web app under gunicorn; (3) an RQ
worker with its scheduler; (4) Loket's scheduler. SQLite in ``instance/``.
Ctrl-C stops everything.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from redis import Redis
from redis.exceptions import RedisError

from bot.db import upgrade
from bot.settings import Settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_answers(url: str) -> bool:
    try:
        client = Redis.from_url(url, socket_connect_timeout=1)
        ok = bool(client.ping())
        client.close()
        return ok
    except RedisError:
        return False


def _start_redis(procs: list) -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("loket demo: no Redis at REDIS_URL and no redis-server to start "
                         "(install it: apt-get install redis-server)")
    port = _free_port()
    procs.append(("redis", subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                             "--appendonly", "no"], stdout=subprocess.DEVNULL)))
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(50):
        if _redis_answers(url):
            return url
        time.sleep(0.1)
    raise SystemExit("loket demo: the Redis it started did not answer")


def _stop(procs: list) -> None:
    for _, p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 8
    for _, p in reversed(procs):
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()


def run_demo(settings: Settings) -> int:
    procs: list[tuple[str, subprocess.Popen]] = []
    try:
        if _redis_answers(settings.redis_url):
            redis_url, redis_note = settings.redis_url, f"existing Redis at {settings.redis_url}"
        else:
            redis_url = _start_redis(procs)
            redis_note = f"redis-server started by the demo at {redis_url} (in memory)"
        upgrade(settings.database_url)
        base = f"http://127.0.0.1:{settings.port}"
        env = dict(os.environ, REDIS_URL=redis_url, DATABASE_URL=settings.database_url, LOKET_SIMULATOR="1",
                   PUBLIC_BASE_URL=os.environ.get("PUBLIC_BASE_URL", base), LOKET_QUEUE_PREFIX="demo-",
                   CONTENT_DIR=str(settings.content_dir), CONTENT_PACK=settings.content_pack)
        py = sys.executable
        procs.append(("web", subprocess.Popen([py, "-m", "gunicorn", "-w", "2", "--threads", "4", "-b",
                                               f"127.0.0.1:{settings.port}", "--log-level", "warning",
                                               "webhooks:create_app()"], env=env)))
        procs.append(("worker", subprocess.Popen([py, "-m", "bot.cli", "worker"], env=env)))
        procs.append(("scheduler", subprocess.Popen([py, "-m", "bot.cli", "scheduler"], env=env)))
        print(f"""
Loket demo is running ({settings.pack_dir.name}).
  chat simulator : {base}/simulator
  health         : {base}/healthz    metrics: {base}/metrics
  web            : gunicorn, 2 workers, 127.0.0.1:{settings.port}
  worker         : RQ worker with scheduler (queues loket-inbound, loket-send, loket-scheduled)
  scheduler      : SLA watch and daily digest
  redis          : {redis_note}
  database       : {settings.database_url}
Press Ctrl-C to stop.
""", flush=True)
        while all(p.poll() is None for _, p in procs):
            time.sleep(0.5)
        dead = [name for name, p in procs if p.poll() is not None]
        print(f"loket demo: {', '.join(dead)} stopped; shutting down", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", flush=True)
        return 0
    finally:
        _stop(procs)
