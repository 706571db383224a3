"""Workers killed with SIGKILL: every message answered within 30 s, each reply once, nothing re-posted.

Real ``loket worker`` processes (RQ, Redis, the database) are killed the way
an OOM killer or a lost VM would. Recovery comes from the workers' heartbeats
(a live worker takes over a dead one's chats within seconds) and from the
outbox (a reply on the wire when its worker died is looked up at Twilio
before it is sent again).
"""
from __future__ import annotations

import os
import random
import re
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from bot.store.models import InboundEvent, Ticket
from tests.conftest import make_settings
from tests.e2e.faults import COMPLAINT, wait_for
from tests.system import CITIZEN, Loket, start_worker_process, stop_process

TICKET = re.compile(r"[A-Z]+-\d{4}-\d{4}")
FAST = dict(heartbeat_seconds=0.5, chat_lock_seconds=10, send_timeout_seconds=2.0, sweep_after_seconds=10)


def _settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram):
    return make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, **FAST)


def _unprocessed(loket) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(InboundEvent).where(InboundEvent.processed_at.is_(None)))


def _tickets(loket) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(Ticket))


class Workers:
    """Worker processes that can be killed and replaced; every one is stopped at the end."""

    def __init__(self, settings, tmp_path):
        self.settings, self.tmp_path, self.all, self.live = settings, tmp_path, [], []

    def start(self):
        proc = start_worker_process(self.settings, self.tmp_path / f"worker{len(self.all)}.log")
        self.all.append(proc)
        self.live.append(proc)
        return proc

    def kill(self, proc) -> None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
        self.live.remove(proc)

    def stop(self) -> None:
        for proc in self.all:
            stop_process(proc)

    def logs(self) -> str:
        return "\n".join((self.tmp_path / f"worker{i}.log").read_text(errors="replace")[-2000:]
                         for i in range(len(self.all)))


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    system = Loket(_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram), redis,
                   fake_twilio, fake_telegram)
    yield system
    system.close()


@pytest.mark.parametrize("twilio_took_it", [False, True])
def test_worker_killed_on_the_chats_last_message_recovers_within_30s(loket, tmp_path, twilio_took_it):
    for text in COMPLAINT[:-1]:
        loket.whatsapp(text)
    loket.work()
    in_send, release = threading.Event(), threading.Event()

    def hang_on_confirmation(form):  # the confirmation is on the wire when the worker dies
        if "tercatat dengan nomor" in (form.get("Body") or "") and not release.is_set():
            in_send.set()
            release.wait(20)
            return None if twilio_took_it else (503, 20503)
        return None
    loket.fake_twilio.fail_when(hang_on_confirmation)
    workers = Workers(loket.settings, tmp_path)
    try:
        first = workers.start()
        loket.whatsapp(COMPLAINT[-1])  # the chat's last message; Twilio will not post it again
        assert in_send.wait(30), workers.logs()
        workers.kill(first)
        release.set()
        killed = time.monotonic()
        workers.start()
        confirmed = lambda: any("tercatat dengan nomor" in b for b in loket.whatsapp_bodies())  # noqa: E731
        assert wait_for(confirmed, 30), workers.logs()
        # When Twilio took it, the citizen has it from the moment of the kill; the new worker still has to
        # take the chat over, find the send at Twilio and close the turn (a slow machine: seconds).
        assert wait_for(lambda: _unprocessed(loket) == 0, 30), workers.logs()
        assert time.monotonic() - killed < 30
        time.sleep(2.0)  # a second copy would show up now
    finally:
        workers.stop()
    assert sum("tercatat dengan nomor" in b for b in loket.whatsapp_bodies()) == 1
    assert _tickets(loket) == 1 and _unprocessed(loket) == 0


@pytest.fixture
def loket_pg(pg_database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    system = Loket(_settings(pg_database_url, redis_url, tmp_path, fake_twilio, fake_telegram), redis,
                   fake_twilio, fake_telegram)
    yield system
    system.close()


def _masked(bodies: list[str]) -> list[str]:
    return sorted(TICKET.sub("N", b) for b in bodies)


@pytest.mark.parametrize("when", ["between sends", "mid-send"])
def test_kill_workers_during_50_conversations(loket_pg, tmp_path, when):
    loket = loket_pg
    rng = random.Random(13)
    control = "whatsapp:+6281399999999"
    for text in COMPLAINT:
        loket.whatsapp(text, from_=control)
    loket.work()
    expected = _masked(loket.whatsapp_bodies(control))
    assert any("tercatat dengan nomor" in b for b in expected)

    on_wire, lock = threading.Event(), threading.Lock()
    state = {"armed": False, "taken": False}

    def hold_one_send(form):
        """Mid-send: the next send after the test arms it stays on the wire while its worker is killed;
        Twilio keeps every other one of those, and refuses the rest."""
        with lock:
            mine = state["armed"]
            state["armed"] = False
        if not mine:
            return None
        on_wire.set()
        time.sleep(0.5)
        state["taken"] = not state["taken"]
        return None if state["taken"] else (503, 20503)
    if when == "mid-send":
        loket.fake_twilio.fail_when(hold_one_send)
    citizens = [f"whatsapp:+628135{i:07d}" for i in range(50)]
    workers = Workers(loket.settings, tmp_path)
    try:
        workers.start()
        workers.start()
        for text in COMPLAINT:  # all 50 conversations at once, each in order
            for citizen in citizens:
                loket.whatsapp(text, from_=citizen)
        kills = 0
        while kills < 6 and _unprocessed(loket) > 0:
            if when == "mid-send":
                on_wire.clear()
                state["armed"] = True
                if not on_wire.wait(10):
                    break
                victims = list(workers.live)  # whichever holds the send: both go
            else:
                time.sleep(rng.uniform(0.5, 1.5))
                victims = [rng.choice(workers.live)]
            for victim in victims:
                workers.kill(victim)
                workers.start()
            kills += 1
            time.sleep(1.0)  # let the new worker come up before the next kill
        last_kill = time.monotonic()
        done = lambda: _unprocessed(loket) == 0 and _tickets(loket) == 51 and all(  # noqa: E731
            len(loket.whatsapp_bodies(c)) >= len(expected) for c in citizens)
        assert wait_for(done, 30, step=0.25), (kills, _unprocessed(loket), _tickets(loket), workers.logs())
        assert time.monotonic() - last_kill < 30
        time.sleep(2.0)  # anything doubled would show up now
    finally:
        workers.stop()
    assert kills >= 3
    for citizen in citizens:
        assert _masked(loket.whatsapp_bodies(citizen)) == expected, citizen[-4:]  # every reply, each once
