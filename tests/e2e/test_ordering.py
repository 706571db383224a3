"""Messages of one chat are handled strictly in order, chats never share state: real worker processes."""
import time

import pytest

from tests.system import start_worker_process, stop_process


@pytest.fixture
def two_workers(loket, tmp_path):
    procs = [start_worker_process(loket.settings, tmp_path / f"worker{i}.log") for i in range(2)]
    yield procs
    for p in procs:
        stop_process(p)


def _wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_twenty_messages_from_one_chat_are_answered_in_order(loket, two_workers):
    citizen = "whatsapp:+6281200000001"
    loket.whatsapp("halo", from_=citizen)
    assert _wait(lambda: len(loket.whatsapp_bodies(citizen)) == 1)  # the greeting heads the menu
    # 20 questions at once, alternating fee / requirements: the answers must alternate the same way.
    asks = ["biaya konsultasi", "syarat konsultasi"] * 10
    for text in asks:
        assert loket.whatsapp(text, from_=citizen).status_code == 200
    assert _wait(lambda: len(loket.whatsapp_bodies(citizen)) == 1 + len(asks))  # an answer and its hint: one message
    answers = [b for b in loket.whatsapp_bodies(citizen)[1:] if b.startswith("*")]
    expected = ["*Biaya" if a.startswith("biaya") else "*Persyaratan" for a in asks]
    assert [a.split(" ")[0] for a in answers] == expected


def test_fifty_chats_at_once_keep_their_own_state(loket, two_workers):
    citizens = [f"whatsapp:+628130000{i:04d}" for i in range(50)]
    for i, c in enumerate(citizens):
        loket.whatsapp("halo", from_=c)
    for i, c in enumerate(citizens):
        # Even citizens switch to English, odd ones open the services list in Indonesian.
        loket.whatsapp("english" if i % 2 == 0 else "1", from_=c)
    for c in citizens:
        loket.whatsapp("1", from_=c)
    # halo -> the greeting on the menu; english -> notice + menu, or 1 -> services; then 1 -> one more answer.
    expected = [4 if i % 2 == 0 else 3 for i in range(len(citizens))]
    assert _wait(lambda: [len(loket.whatsapp_bodies(c)) for c in citizens] == expected, timeout=120)
    for i, c in enumerate(citizens):
        last = loket.last_whatsapp(c)
        if i % 2 == 0:
            assert "1. Consultation Service" in last, (c, last)
        else:
            assert "1. Persyaratan" in last, (c, last)
