"""Faults to inject: a Redis of the test's own to restart, a database that never answers, officers."""
from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time

import yaml
from redis import Redis
from redis.exceptions import RedisError

from bot.settings import PROJECT_ROOT

GROUP = -1001234567890  # the kesra unit's registered Telegram group
COMPLAINT = ("halo", "pengaduan", "1", "Petugas loket meminta biaya untuk surat rekomendasi",
             "Kantor Bupati Buleleng", "Kamis lalu", "2", "lewati", "3", "1")  # anonymous: no name step


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """Debian's redis-server on a free port, in memory only (as ``loket demo`` runs it): a restart loses all."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> "RedisServer":
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen([binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no", "--loglevel", "warning"], stdout=subprocess.DEVNULL)
        client = Redis.from_url(self.url, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    client.close()
                    return self
            except RedisError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


class BlackHole:
    """A TCP listener that accepts connections and never answers: a database behind a dropped route."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
                self.held.append(conn)
            except OSError:
                continue

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        for conn in self.held:
            conn.close()
        self.sock.close()


def content_with_group(tmp_path) -> object:
    """A copy of the content whose kesra unit has a registered Telegram group."""
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    agency = content / "buleleng-kesra" / "agency.yaml"
    data = yaml.safe_load(agency.read_text())
    data["units"] = [{"id": "kesra", "name": "Bagian Kesejahteraan Rakyat", "telegram_chat_id": GROUP},
                     {"id": "umum", "name": "Bagian Umum"}]
    agency.write_text(yaml.safe_dump(data, allow_unicode=True))
    return content


def wait_for(predicate, timeout: float = 30.0, step: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
