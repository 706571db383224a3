"""The senders with the real SDKs (twilio.rest.Client, telegram.Bot) against the local fakes and a real Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from redis import Redis

from bot.exceptions import OutsideWindow, SendFailed
from bot.settings import PROJECT_ROOT
from bot.types import Reply
from tests.conftest import make_settings
from tests.fakes.telegram_api import _max_in_window
from bot.channels.base import Outgoing
from bot.channels.simulator import Sender as SimulatorSender
from bot.channels.telegram import Sender as TelegramSender
from bot.channels.whatsapp import Sender as WhatsAppSender

CITIZEN = "+6281234567890"
CHAT = "700000001"
OTHER_CHAT = "700000002"
CLOSED = "http://127.0.0.1:1"  # nothing listens on port 1: connection refused at once


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0.01, 0.01, 0.01))


@pytest.fixture
def settings(redis_url, tmp_path, fake_twilio, fake_telegram):
    return make_settings("sqlite://", redis_url, tmp_path, fake_twilio, fake_telegram)


@pytest.fixture
def make_wa(redis):
    made = []

    def make(settings):
        sender = WhatsAppSender(settings, redis)
        made.append(sender)
        return sender

    yield make
    for sender in made:
        sender.client.http_client.close()


@pytest.fixture
def wa(settings, make_wa):
    return make_wa(settings)


@pytest.fixture
def tg(settings, redis):
    sender = TelegramSender(settings, redis)
    yield sender
    sender.close()


def text(body: str = "Halo, ini balasan Loket.") -> Outgoing:
    return Outgoing(Reply(body))


def metric(redis, name: str, channel: str) -> int:
    value = redis.hget("loket:metrics", f'{name}{{channel="{channel}"}}')
    return int(value) if value is not None else 0


def statuses(fake) -> list[int]:
    return [a["http_status"] for a in fake.attempts]


# --------------------------------------------------------------------------- WhatsApp (Twilio)

def test_whatsapp_sends_one_message(wa, fake_twilio, redis):
    ids = wa.send(CITIZEN, text())
    assert len(ids) == 1 and ids[0].startswith("SM")
    [sent] = fake_twilio.sent
    assert sent["To"] == f"whatsapp:{CITIZEN}" and sent["From"] == "whatsapp:+14155238886"
    assert sent["Body"] == "Halo, ini balasan Loket."
    # Twilio retries a failed callback only when the URL says so (connection overrides).
    assert sent["StatusCallback"].endswith("/webhooks/twilio/status#rc=3&rp=all")
    assert metric(redis, "messages_sent_total", "whatsapp") == 1
    assert metric(redis, "send_failures_total", "whatsapp") == 0


def test_whatsapp_429_is_retried(wa, fake_twilio):
    fake_twilio.fail_next(429)
    wa.send(CITIZEN, text())
    assert statuses(fake_twilio) == [429, 201]
    assert len(fake_twilio.sent) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_whatsapp_server_errors_are_retried(wa, fake_twilio, status):
    fake_twilio.fail_next(status)
    wa.send(CITIZEN, text())
    assert statuses(fake_twilio) == [status, 201]


def test_whatsapp_63018_rate_limit_is_retried(wa, fake_twilio):
    fake_twilio.fail_next(code=63018, status=429)
    wa.send(CITIZEN, text())
    assert [a["error_code"] for a in fake_twilio.attempts] == [63018, None]
    assert len(fake_twilio.sent) == 1


def test_whatsapp_last_attempt_may_still_succeed(wa, fake_twilio):
    """One try and len(RETRY_DELAYS) = 3 retries: three 503s in a row are followed by a fourth attempt."""
    fake_twilio.fail_next(503, times=3)
    wa.send(CITIZEN, text())
    assert statuses(fake_twilio) == [503, 503, 503, 201]


def test_whatsapp_gives_up_after_retries(wa, fake_twilio, redis):
    fake_twilio.fail_next(503, times=10)
    with pytest.raises(SendFailed) as caught:
        wa.send(CITIZEN, text())
    assert not caught.value.permanent
    assert not isinstance(caught.value, OutsideWindow)
    assert statuses(fake_twilio) == [503] * 4
    assert fake_twilio.sent == []
    assert metric(redis, "send_failures_total", "whatsapp") == 1
    assert metric(redis, "messages_sent_total", "whatsapp") == 0


def test_whatsapp_opted_out_is_permanent_and_not_retried(wa, fake_twilio, redis):
    fake_twilio.fail_next(code=21610)
    with pytest.raises(SendFailed) as caught:
        wa.send(CITIZEN, text())
    assert caught.value.permanent and caught.value.code == 21610
    assert len(fake_twilio.attempts) == 1
    assert metric(redis, "send_failures_total", "whatsapp") == 1


def test_whatsapp_other_client_errors_are_permanent(wa, fake_twilio):
    fake_twilio.fail_next(code=21211)  # invalid 'To' number
    with pytest.raises(SendFailed) as caught:
        wa.send(CITIZEN, text())
    assert caught.value.permanent and caught.value.code == 21211
    assert len(fake_twilio.attempts) == 1


def test_whatsapp_outside_the_window(wa, fake_twilio):
    fake_twilio.fail_next(code=63016)
    with pytest.raises(OutsideWindow) as caught:
        wa.send(CITIZEN, text())
    assert caught.value.code == 63016
    assert len(fake_twilio.attempts) == 1


def test_whatsapp_template_outside_the_window(wa, fake_twilio):
    sid = "HX" + "0" * 32
    wa.send(CITIZEN, Outgoing(Reply("unused"), template=(sid, {"1": "ADU-1"})))
    [sent] = fake_twilio.sent
    assert sent["ContentSid"] == sid and "Body" not in sent
    assert sent["ContentVariables"] == '{"1": "ADU-1"}'


def test_whatsapp_long_text_is_split_and_counted(wa, fake_twilio, redis):
    ids = wa.send(CITIZEN, text("kata " * 500))  # 2,500 characters: two bodies under 1,600
    assert len(ids) == 2 == len(fake_twilio.sent)
    assert all(len(m["Body"]) <= 1600 for m in fake_twilio.sent)
    assert metric(redis, "messages_sent_total", "whatsapp") == 2


def test_whatsapp_network_refused_fails_after_retries(settings, make_wa, redis):
    sender = make_wa(settings.with_(twilio_api_base_url=CLOSED))
    http = sender.client.http_client
    tries = []
    real = http.request
    http.request = lambda *a, **kw: (tries.append(http.rewrite(a[1])), real(*a, **kw))[1]
    with pytest.raises(SendFailed) as caught:
        sender.send(CITIZEN, text())
    assert not caught.value.permanent
    assert "network error" in caught.value.reason
    assert len(tries) == 4 and tries[0].startswith(CLOSED)
    assert metric(redis, "send_failures_total", "whatsapp") == 1


# --------------------------------------------------------------------------- Telegram

def test_telegram_sends_with_keyboard(tg, fake_telegram, redis):
    from bot.types import Option
    ids = tg.send(CHAT, Outgoing(Reply("Pilih layanan", options=(Option("1", "Konsultasi"),))))
    [call] = fake_telegram.calls("sendMessage", CHAT, ok=True)
    assert ids == [str(call.result["message_id"])]
    assert call.params["text"] == "Pilih layanan"
    assert "Konsultasi" in call.params["reply_markup"]["inline_keyboard"][0][0]["text"]
    assert metric(redis, "messages_sent_total", "telegram") == 1


def test_telegram_retry_after_is_respected(tg, fake_telegram):
    fake_telegram.fail_next("sendMessage", error_code=429, retry_after=1)
    started = time.monotonic()
    tg.send(CHAT, text())
    assert time.monotonic() - started >= 0.95
    calls = fake_telegram.calls("sendMessage", CHAT)
    assert [c.ok for c in calls] == [False, True]
    assert calls[1].time - calls[0].time >= 0.95


def test_telegram_blocked_chat_is_permanent(tg, fake_telegram, redis):
    fake_telegram.blocked_chats.add(int(CHAT))
    with pytest.raises(SendFailed) as caught:
        tg.send(CHAT, text())
    assert caught.value.permanent and "blocked" in caught.value.reason
    assert len(fake_telegram.calls("sendMessage")) == 1
    assert metric(redis, "send_failures_total", "telegram") == 1


def test_telegram_chat_not_found_is_permanent(tg, fake_telegram):
    fake_telegram.missing_chats.add(int(CHAT))
    with pytest.raises(SendFailed) as caught:
        tg.send(CHAT, text())
    assert caught.value.permanent and "chat not found" in caught.value.reason.lower()
    assert len(fake_telegram.calls("sendMessage")) == 1


@pytest.mark.parametrize("code", [500, 502])
def test_telegram_server_errors_are_retried(tg, fake_telegram, code):
    fake_telegram.fail_next("sendMessage", error_code=code, times=2)
    tg.send(CHAT, text())
    assert [c.ok for c in fake_telegram.calls("sendMessage")] == [False, False, True]


def test_telegram_gives_up_after_retries(tg, fake_telegram):
    fake_telegram.fail_next("sendMessage", error_code=502, times=10)
    with pytest.raises(SendFailed) as caught:
        tg.send(CHAT, text())
    assert not caught.value.permanent
    assert len(fake_telegram.calls("sendMessage")) == 4


def test_telegram_unreachable_is_a_transient_send_failure(settings, redis):
    """Connection refused is retried and ends as SendFailed, not a raw NetworkError."""
    sender = TelegramSender(settings.with_(telegram_api_base_url=CLOSED), redis)
    with pytest.raises(SendFailed) as caught:
        sender.send(CHAT, text())
    assert not caught.value.permanent and "network error" in caught.value.reason


def test_telegram_bad_gateway_is_retried(tg, fake_telegram):
    fake_telegram.fail_next("sendMessage", error_code=502)
    tg.send(CHAT, text())
    assert [c.ok for c in fake_telegram.calls("sendMessage")] == [False, True]


def test_telegram_wrong_token_is_permanent(settings, redis, fake_telegram):
    sender = TelegramSender(settings.with_(telegram_bot_token="123456:wrong"), redis)
    with pytest.raises(SendFailed) as caught:
        sender.send(CHAT, text())
    assert caught.value.permanent
    assert fake_telegram.calls("sendMessage") == []


def test_one_chat_gets_at_most_one_message_a_second(settings, redis, fake_telegram):
    sender = TelegramSender(settings.with_(telegram_chat_interval=1.0), redis)
    started = time.monotonic()
    for n in range(4):
        sender.send(CHAT, text(f"balasan {n}"))
    assert time.monotonic() - started >= 2.9
    assert len(fake_telegram.calls("sendMessage", CHAT, ok=True)) == 4
    assert fake_telegram.max_rate_per_chat(window=0.95) <= 1
    times = fake_telegram.send_times(CHAT)
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.95


def test_a_group_gets_at_most_twenty_messages_a_minute(settings, redis, fake_telegram):
    group = -1001234567890
    sender = TelegramSender(settings.with_(telegram_chat_interval=1.0, telegram_group_interval=3.0), redis)
    for n in range(3):
        sender.send(str(group), text(f"tiket baru {n}"))
    times = fake_telegram.send_times(group)
    assert len(times) == 3
    assert min(b - a for a, b in zip(times, times[1:])) >= 2.9  # 3 s apart: 20 a minute


def test_chats_do_not_wait_for_each_other(settings, redis, fake_telegram):
    sender = TelegramSender(settings.with_(telegram_chat_interval=1.0), redis)
    started = time.monotonic()
    for chat in (CHAT, OTHER_CHAT, CHAT, OTHER_CHAT):
        sender.send(chat, text())
    assert time.monotonic() - started < 1.8  # not 3 s: only each chat's second message waited
    assert fake_telegram.max_rate_per_chat(window=0.95) <= 1
    first, other = fake_telegram.send_times(CHAT)[0], fake_telegram.send_times(OTHER_CHAT)[0]
    assert other - first < 0.5


WORKER = """
import sys
from redis import Redis
from bot.settings import Settings
from bot.types import Reply
from bot.channels.base import Outgoing
from bot.channels.telegram import Sender as TelegramSender

settings = Settings.from_env()
redis = Redis.from_url(settings.redis_url)
sender = TelegramSender(settings, redis)
print("ready", flush=True)
sys.stdin.readline()
first = int(sys.argv[1])
for chat in range(first, first + int(sys.argv[2])):
    sender.send(str(chat), Outgoing(Reply("Antrean Anda sedang diproses.")))
redis.close()
print("done", flush=True)
"""


class GrantLog:
    """Every overall-limit grant as Redis timed it, read from MONITOR (the ZADD each grant makes in the script).

    MONITOR sees every database of the server; only this test's database counts.

    The platform counts arrivals, but an arrival's time also holds the machine's scheduling delay: on a
    loaded machine two sends granted 1.05 s apart can land 0.9 s apart. The grants are what the shared
    limiter decides, on Redis's own clock, so they are checked exactly.
    """

    def __init__(self, redis_url: str):
        self._client = Redis.from_url(redis_url)
        self._db = self._client.connection_pool.connection_kwargs.get("db", 0)
        self.grants: list[float] = []
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()
        assert self._ready.wait(5)

    def _listen(self) -> None:
        with self._client.monitor() as monitor:
            self._ready.set()
            for entry in monitor.listen():
                command = entry["command"]
                if command.startswith("ECHO grant-log-stop"):
                    return
                if entry["db"] == self._db and command.startswith("ZADD loket:rate:global:"):
                    self.grants.append(int(command.split()[2]) / 1_000_000)

    def stop(self) -> list[float]:
        self._client.echo("grant-log-stop")
        self._thread.join(5)
        self._client.close()
        return sorted(self.grants)


def test_overall_limit_is_shared_by_worker_processes(settings, fake_telegram):
    """60 replies to 60 chats from 3 worker processes at once: never more than 30 granted in a second."""
    env = dict(os.environ, **settings.to_env())
    log = GrantLog(settings.redis_url)
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(800000000 + n * 100), "20"], env=env,
                              cwd=PROJECT_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for n in range(3)]
    try:
        for proc in procs:  # imports done: the sends themselves start together
            assert proc.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            out, _ = proc.communicate(timeout=15)
            assert proc.returncode == 0 and out.strip() == "done"
        elapsed = time.monotonic() - started
    finally:
        grants = log.stop()
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            for pipe in (proc.stdin, proc.stdout):
                if not pipe.closed:
                    pipe.close()
    assert len(fake_telegram.calls("sendMessage", ok=True)) == 60
    assert len(grants) == 60
    assert _max_in_window(grants, 1.0) <= 30  # shared: three processes together, not 30 each
    # The workers asked faster than 30/s, so it was the limiter that held them back (not a slow machine).
    assert _max_in_window(grants, 1.1) >= 30
    assert 0.95 <= elapsed < 5


def test_retry_after_wait_keeps_the_chat_spacing(settings, redis, fake_telegram):
    fake_telegram.limit_rate(per_chat=1, overall=30, retry_after=1)
    sender = TelegramSender(settings.with_(telegram_chat_interval=1.0), redis)
    for _ in range(2):
        sender.send(CHAT, text())
    assert [c.ok for c in fake_telegram.calls("sendMessage")] == [True, True]  # the limiter spared a 429


# --------------------------------------------------------------------------- simulator

def test_simulator_sender_writes_to_redis(settings, redis):
    sender = SimulatorSender(settings, redis)
    assert sender.send("web-1", text("hai")) == ["sim-1"]
    assert b'"text": "hai"' in redis.lrange("loket:sim:web-1", 0, -1)[0]
    assert metric(redis, "messages_sent_total", "simulator") == 1


def test_production_twilio_client_has_a_timeout(settings, make_wa):
    """Without TWILIO_API_BASE_URL the SDK's own client is used: it must not wait forever on a hung connection."""
    sender = make_wa(settings.with_(twilio_api_base_url=""))
    assert sender.client.http_client.timeout == 15


def test_a_send_is_one_round_trip(settings, redis, fake_telegram):
    """No getMe before each message: Bot.initialize() is skipped on the send path."""
    sender = TelegramSender(settings, redis)
    sender.send(CHAT, text("satu"))
    sender.send(CHAT, text("dua"))
    assert [c.method for c in fake_telegram.calls()] == ["sendMessage", "sendMessage"]


def test_twilio_sends_share_one_http_session(wa, fake_twilio, monkeypatch):
    """One Twilio client per sender, and one urllib3 pool (its keep-alive connections) for all its sends.

    (The fake, Werkzeug's server, closes each connection; Twilio's API keeps them open.)
    """
    import urllib3
    used = []
    real = urllib3.PoolManager.urlopen
    monkeypatch.setattr(urllib3.PoolManager, "urlopen", lambda self, *a, **kw: used.append(self) or real(self, *a, **kw))
    first = wa.send("+6281234567890", text("satu"))
    second = wa.send("+6281234567890", text("dua"))
    assert first != second and len(fake_twilio.sent) == 2
    assert len(used) == 2 and used[0] is used[1] is wa.client.http_client._pool(fake_twilio.url)


def test_telegram_sends_share_one_session(tg, fake_telegram, monkeypatch):
    """One Bot and HTTP client for every send of a process; a forked child opens its own."""
    tg.send(CHAT, text("satu"))
    session = tg.session()
    client = session.requests[0]._client
    tg.send(CHAT, text("dua"))
    tg.acknowledge("cb-1")
    assert tg.session() is session and session.requests[0]._client is client
    assert len(fake_telegram.calls("sendMessage", CHAT, ok=True)) == 2
    parent = os.getpid()
    monkeypatch.setattr(os, "getpid", lambda: parent + 1)  # as in a forked work horse
    child = tg.session()
    assert child is not session
    tg.send(CHAT, text("tiga"))
    assert len(fake_telegram.calls("sendMessage", CHAT, ok=True)) == 3
    monkeypatch.undo()
    session.close()  # the parent's, which the child left alone
    child.close()


def test_each_twilio_number_has_its_own_throughput(settings, redis, fake_twilio, make_wa):
    """Twilio counts messages per second per sender: one agency's broadcast must not hold back another
    agency's number, and a number with more throughput bought says so in TWILIO_SENDER_MPS."""
    kesra = make_wa(settings.with_(twilio_whatsapp_from="whatsapp:+6281100000001", twilio_sender_mps=2))
    mpp = make_wa(settings.with_(twilio_whatsapp_from="whatsapp:+6281100000002", twilio_sender_mps=2))
    for n in range(2):
        kesra.send("+6281234567890", text(f"kesra {n}"))
        mpp.send("+6281234567891", text(f"mpp {n}"))
    granted = {key.decode(): redis.zcard(key) for key in redis.scan_iter("loket:rate:global:*")}
    assert granted == {"loket:rate:global:twilio:whatsapp:+6281100000001": 2,
                       "loket:rate:global:twilio:whatsapp:+6281100000002": 2}
    assert len(fake_twilio.sent) == 4


def test_the_sender_throughput_is_a_setting():
    from bot.settings import Settings
    assert Settings.from_env({"TWILIO_SENDER_MPS": "400"}).twilio_sender_mps == 400
    assert Settings.from_env({}).twilio_sender_mps == 80
