"""The scheduler queues each minute's jobs once, however many schedulers run, and stops on a signal."""
import os
import signal
import subprocess
import sys
import time

from rq import Queue

from tests.conftest import make_settings
from bot.queues import Queues
from workers.schedule import tick


def test_two_schedulers_queue_one_set_per_minute(redis, redis_url, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path}/x.db", redis_url, tmp_path)
    now = 1_795_000_000.0
    for _ in range(3):
        tick(redis, settings, now=now)       # scheduler A
        tick(redis, settings, now=now + 5)   # scheduler B, same minute
    q = Queue(Queues.SCHEDULED, connection=redis)
    assert sorted(j.func_name for j in q.jobs) == ["workers.digest.digest_if_due", "workers.sla_watch.scan"]
    tick(redis, settings, now=now + 60)
    assert len(q.jobs) == 4


def test_scheduler_process_stops_cleanly_on_sigterm(redis_url, tmp_path):
    settings = make_settings(f"sqlite:///{tmp_path}/x.db", redis_url, tmp_path)
    env = dict(os.environ, **settings.to_env())
    with open(tmp_path / "scheduler.log", "wb") as log:
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "scheduler"], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while b"scheduler started" not in (tmp_path / "scheduler.log").read_bytes():
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = (tmp_path / "scheduler.log").read_text()
    assert "Traceback" not in text and "scheduler stopped" in text
