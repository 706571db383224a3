"""A worker killed between saving the ticket and replying: still one ticket and one confirmation."""
import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from bot.store.models import Ticket
from tests.conftest import make_settings
from tests.fakes.twilio_api import twilio_error
from tests.system import CITIZEN, Loket, start_worker_process, stop_process


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    # A short chat lock, so the next worker takes over from the dead one quickly.
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, chat_lock_seconds=2)
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    yield system
    system.close()


def _wait(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _tickets(loket) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(Ticket))


def test_killed_worker_ends_in_one_ticket_and_one_confirmation(loket, tmp_path):
    for text in ("halo", "2", "1", "Loket tutup sebelum jam layanan berakhir", "Kantor Kesra", "tadi siang",
                 "2", "lewati", "3"):
        loket.whatsapp(text)
    loket.work()
    assert "Ringkasan pengaduan" in loket.last_whatsapp()

    # The confirmation send hangs inside Twilio, as a slow network would: that is where we kill the worker.
    in_send, release = threading.Event(), threading.Event()

    def hang_on_confirmation(form):
        if "tercatat dengan nomor" in (form.get("Body") or ""):
            in_send.set()
            release.wait(20)
            return twilio_error(20503, status=503)
        return None
    loket.fake_twilio.fail_when(hang_on_confirmation)

    worker = start_worker_process(loket.settings, tmp_path / "worker1.log")
    try:
        confirm = loket.fake_twilio.inbound("1", from_=CITIZEN)
        loket.post_twilio("/webhooks/twilio", confirm)
        assert in_send.wait(30), (tmp_path / "worker1.log").read_text()
        assert _tickets(loket) == 1  # the ticket is saved, the reply is not yet out
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(10)
    finally:
        release.set()
        stop_process(worker)
    loket.fake_twilio.remove_rule(hang_on_confirmation)
    assert not any("tercatat dengan nomor" in b for b in loket.whatsapp_bodies())

    # Twilio retries the undelivered webhook; a fresh worker finishes the job.
    second = start_worker_process(loket.settings, tmp_path / "worker2.log")
    try:
        loket.post_twilio("/webhooks/twilio", confirm)
        assert _wait(lambda: any("tercatat dengan nomor" in b for b in loket.whatsapp_bodies()), 30), \
            (tmp_path / "worker2.log").read_text() + repr(loket.fake_twilio.attempts[-3:])
        time.sleep(1.0)  # anything extra would show up now
    finally:
        stop_process(second)
    assert _tickets(loket) == 1
    assert sum("tercatat dengan nomor" in b for b in loket.whatsapp_bodies()) == 1
