"""``loket demo`` as a user runs it: a subprocess with its own Redis, web, worker and scheduler.

No fakes here: the simulator channel needs no credentials, so the demo is
driven through its HTTP API and stopped with Ctrl-C (SIGINT), after which
none of the processes it started may be left behind.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("redis-server") is None or not Path("/proc/self/stat").exists(),
                                reason="needs redis-server and /proc")

# Settings the demo must not pick up from the developer's shell.
FOREIGN_ENV = ("PORT", "DATABASE_URL", "REDIS_URL", "PUBLIC_BASE_URL", "MEDIA_DIR", "CONTENT_DIR", "CONTENT_PACK",
               "LOKET_QUEUE_PREFIX", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_FROM",
               "TWILIO_API_BASE_URL", "TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_API_BASE_URL")


def free_port() -> int:
    """A port nothing listens on (the kernel just handed it out)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of ``pid`` from /proc, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses
    return int(fields[1]), fields[0], int(fields[19])


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def descendants(root: int) -> dict[tuple[int, int], str]:
    """Every live process below ``root``: (pid, start time) -> command line."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (st := _stat(int(entry))) is not None:
            children.setdefault(st[0], []).append(int(entry))
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        st = _stat(pid)
        if st is not None and st[1] != "Z":
            found[(pid, st[2])] = _cmdline(pid)
        todo.extend(children.get(pid, []))
    return found


def alive(process: tuple[int, int]) -> bool:
    st = _stat(process[0])
    return st is not None and st[2] == process[1] and st[1] != "Z"


class Demo:
    """One ``loket demo`` subprocess on free ports, with its database and log in ``folder``."""

    def __init__(self, folder: Path, port: int | None = None, redis_url: str | None = None):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = folder / "demo.log"
        env = {k: v for k, v in os.environ.items() if k not in FOREIGN_ENV}
        env.update(PORT=str(self.port), DATABASE_URL=f"sqlite:///{folder / 'demo.db'}", MEDIA_DIR=str(folder / "media"),
                   REDIS_URL=redis_url or f"redis://127.0.0.1:{free_port()}/0", PYTHONUNBUFFERED="1")
        script = Path(sys.executable).with_name("loket")
        command = [str(script), "demo"] if script.exists() else [sys.executable, "-m", "cli.main", "demo"]
        self._log = open(self.log_path, "wb")
        # A session of its own: a Ctrl-C meant for pytest does not reach it, and cleanup can find it.
        self.proc = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL,
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        self.started: dict[tuple[int, int], str] = {}

    # --- lifecycle ---------------------------------------------------------
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"loket demo exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        pytest.fail(f"loket demo did not answer /healthz within {timeout} s:\n{self.log()}")

    def snapshot(self) -> dict[tuple[int, int], str]:
        """Remember every process the demo runs now, to check later that none outlives it."""
        self.started = descendants(self.proc.pid)
        return self.started

    def interrupt(self, timeout: float = 15) -> int:
        """Ctrl-C: SIGINT to the demo; its exit code (fails the test if it takes longer than ``timeout``)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"loket demo still running {timeout} s after SIGINT:\n{self.log()}")

    def leftovers(self, timeout: float = 5) -> dict[tuple[int, int], str]:
        """Processes from the last snapshot still alive after ``timeout`` (orphans need a moment to be reaped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = {p: cmd for p, cmd in self.started.items() if alive(p)}
            if not left or time.monotonic() > deadline:
                return left
            time.sleep(0.1)

    def close(self) -> None:
        """Whatever happened, leave no process behind and no file open."""
        if self.proc.poll() is None:
            self.snapshot()
            self.proc.kill()
            self.proc.wait()
        for process in self.started:
            if alive(process):
                try:
                    os.kill(process[0], signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self._log.close()

    def __enter__(self) -> "Demo":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- HTTP ----------------------------------------------------------------
    def get(self, path: str) -> tuple[int, bytes]:
        with urllib.request.urlopen(self.base + path, timeout=5) as response:
            return response.status, response.read()

    def send(self, session: str, text: str | None = None, callback: str | None = None) -> int:
        body = json.dumps({"session": session, "text": text or "", "callback": callback}).encode()
        request = urllib.request.Request(self.base + "/simulator/api/send", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status

    def messages(self, session: str) -> list[dict]:
        status, body = self.get(f"/simulator/api/messages?session={session}&after=0")
        assert status == 200
        return json.loads(body)["messages"]

    def wait_for(self, session: str, done, timeout: float = 20) -> list[dict]:
        """Poll the simulator until ``done(messages)`` holds; the messages."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.messages(session)
            if done(got):
                return got
            if time.monotonic() > deadline:
                pytest.fail(f"no expected reply within {timeout} s; got {got!r}\n{self.log()[-3000:]}")
            if self.proc.poll() is not None:
                pytest.fail(f"loket demo exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.2)


def has_greeting_and_menu(messages: list[dict]) -> bool:
    greeting = any("Selamat datang" in m["text"] for m in messages)
    menu = any(["1", "Informasi layanan"] in m["options"] for m in messages)
    return greeting and menu


def test_demo_runs_the_whole_system_and_stops_cleanly_on_ctrl_c(tmp_path):
    with Demo(tmp_path) as demo:
        demo.wait_healthy()
        status, body = demo.get("/healthz")
        assert json.loads(body)["status"] == "ok"
        status, page = demo.get("/simulator")
        assert status == 200 and b"Kirim" in page
        status, metrics = demo.get("/metrics")
        assert status == 200 and b"loket_queue_depth" in metrics

        session = f"test-{uuid.uuid4().hex}"
        assert demo.send(session, "halo") == 202
        messages = demo.wait_for(session, has_greeting_and_menu)
        menu = next(m for m in messages if m["options"])
        assert menu["token"] is not None
        assert demo.send(session, callback=f"t{menu['token']}:1") == 202
        demo.wait_for(session, lambda got: any(["1", "Pelayanan Konsultasi"] in m["options"] for m in got))

        started = demo.snapshot()
        commands = " | ".join(started.values())
        for part in ("redis-server", "gunicorn", "cli.main worker", "cli.main scheduler"):
            assert part in commands, f"{part} not running under the demo: {commands}"
        assert "redis-server started by the demo" in demo.log()
        # The demo deployment of content/_demo/: Kesra's own number, the front desk, the officers' bots.
        for line in ("wa-kesra   whatsapp  +6281100000001  buleleng-kesra",
                     "wa-mpp     whatsapp  +6281100000002  buleleng-kesra, bangli-dpmptsp",
                     "tg-bangli  telegram  bot             bangli-dpmptsp", "officer        : Komang Sudiarta"):
            assert line in demo.log()
        content = Path(re.search(r"content +: (\S+)", demo.log()).group(1))
        assert (content / "channels.yaml").exists()

        assert demo.interrupt(timeout=15) == 0
        assert demo.leftovers() == {}, "processes outlived the demo"
        assert "Traceback" not in demo.log()
        assert not content.exists(), "the demo's content folder outlived it"
