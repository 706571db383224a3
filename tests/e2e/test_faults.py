"""Faults from issue 13: Redis restarts, database outages, a slow Twilio, Telegram errors, a foreign group.

Each test injects one fault into a real system (real Redis, real RQ worker,
SQLite or PostgreSQL, the fake platforms) and shows nothing lost, nothing
doubled, and 503 rather than 500 where a dependency is down.
"""
from __future__ import annotations

import re
import threading
import time

import pytest
from redis import Redis
from sqlalchemy import func, select

from bot.store.db import session_scope
from bot.store.models import InboundEvent, Message, Ticket
from bot.store.officers import add_officer
from tests.conftest import make_settings
from tests.e2e.faults import COMPLAINT, GROUP, BlackHole, RedisServer, content_with_group
from tests.fakes.telegram_api import make_group_text_update, make_text_update
from tests.system import CITIZEN, Loket
from webhooks import create_app
from bot.queues import Queues, queue
from workers.recovery import sweep

SUPERVISOR = 9002


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr("bot.channels.base.RETRY_DELAYS", (0.01, 0.01, 0.01))


def _count(loket, model, *where) -> int:
    with loket.sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


# ----------------------------------------------------------------------------- Redis restart

@pytest.fixture
def own_redis():
    server = RedisServer().start()
    yield server
    server.stop()


@pytest.fixture
def loket_own_redis(own_redis, database_url, tmp_path, fake_twilio, fake_telegram):
    settings = make_settings(database_url, own_redis.url, tmp_path, fake_twilio, fake_telegram, sweep_after_seconds=0)
    client = Redis.from_url(own_redis.url, socket_connect_timeout=1, socket_timeout=2, retry_on_timeout=False)
    system = Loket(settings, client, fake_twilio, fake_telegram)
    yield system
    system.close()
    client.close()


def test_redis_restart_mid_form_files_the_complaint(loket_own_redis, own_redis):
    loket = loket_own_redis
    for text in COMPLAINT[:5]:
        loket.whatsapp(text)
    loket.work()
    asked = len(loket.whatsapp_bodies())
    assert asked >= 5 and _count(loket, Ticket) == 0  # the form is under way

    own_redis.restart()  # in memory only: the draft, the inboxes and the queues are gone
    loket.redis.connection_pool.disconnect()
    for text in COMPLAINT[5:]:
        loket.whatsapp(text)
    loket.work()

    assert _count(loket, Ticket) == 1  # the draft came back from SQL
    assert sum("tercatat dengan nomor" in b for b in loket.whatsapp_bodies()) == 1


def test_recorded_inbound_whose_job_a_redis_restart_lost_is_swept_up(loket_own_redis, own_redis):
    loket = loket_own_redis
    loket.whatsapp("halo")  # recorded in SQL and queued in Redis
    own_redis.restart()  # ... and the job is gone
    loket.redis.connection_pool.disconnect()
    assert _count(loket, InboundEvent, InboundEvent.processed_at.is_(None)) == 1

    inbound = queue(loket.redis, Queues.INBOUND, loket.settings.queue_prefix)
    assert sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 1
    loket.work()
    assert _count(loket, InboundEvent, InboundEvent.processed_at.is_(None)) == 0
    assert loket.whatsapp_bodies()  # answered
    assert sweep(loket.redis, loket.sessions, inbound, after_seconds=0) == 0  # nothing left to sweep


def test_webhook_answers_503_while_redis_is_down_and_the_redelivery_is_handled(loket_own_redis, own_redis):
    loket = loket_own_redis
    own_redis.stop()
    form = loket.fake_twilio.inbound("halo", from_=CITIZEN)
    assert loket.post_twilio("/webhooks/twilio", form).status_code == 503
    own_redis.start()
    loket.redis.connection_pool.disconnect()
    assert loket.post_twilio("/webhooks/twilio", form).status_code == 200  # Twilio's retry
    loket.work()
    assert loket.whatsapp_bodies() and _count(loket, InboundEvent) == 1


# ----------------------------------------------------------------------------- database outages

def _app_for(loket, database_url: str):
    settings = loket.settings.with_(database_url=database_url, db_timeout_seconds=1.0)
    return create_app(settings, redis=loket.redis).test_client()


@pytest.mark.parametrize("outage", ["refused", "black-holed"])
def test_database_outage_answers_503_quickly_and_healthz_still_answers(loket, outage):
    hole = BlackHole() if outage == "black-holed" else None
    port = hole.port if hole else 1  # nothing listens on port 1
    client = _app_for(loket, f"postgresql+psycopg://postgres@127.0.0.1:{port}/test")
    try:
        form = loket.fake_twilio.inbound("halo", from_=CITIZEN)
        from tests.fakes.twilio_api import signed_inbound
        _, sig = signed_inbound(loket.settings.public_base_url + "/webhooks/twilio", form,
                                loket.settings.twilio_auth_token)
        started = time.monotonic()
        response = client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": sig})
        took = time.monotonic() - started
        assert response.status_code == 503
        assert took < 5  # well inside Twilio's 15 s
        started = time.monotonic()
        health = client.get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"].startswith("down")
        assert time.monotonic() - started < 4
    finally:
        if hole:
            hole.close()


# ----------------------------------------------------------------------------- slow Twilio

def test_slow_twilio_answer_past_the_read_timeout_is_not_sent_twice(database_url, redis, redis_url, tmp_path,
                                                                     fake_twilio, fake_telegram):
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram, send_timeout_seconds=1.0)
    loket = Loket(settings, redis, fake_twilio, fake_telegram)
    try:
        slow = {"left": 2}

        def answer_late(form):  # Twilio takes the message but answers after our read timeout
            if slow["left"] > 0:
                slow["left"] -= 1
                time.sleep(1.6)
            return None
        fake_twilio.fail_when(answer_late)
        loket.whatsapp("halo")
        loket.work()
        bodies = loket.whatsapp_bodies()
        assert bodies and len(bodies) == len(set(bodies))  # each part of the menu once
        with loket.sessions() as s:
            rows = s.scalars(select(Message).where(Message.direction == "out")).all()
        assert rows and all(r.delivery_state == "sent" for r in rows)
        sids = {sid for r in rows for sid in r.platform_id.split(",")}
        assert sids == {m["sid"] for m in fake_twilio.sent}  # each row knows the message Twilio holds
    finally:
        loket.close()


# ----------------------------------------------------------------------------- officers

@pytest.fixture
def loket_with_group(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram, monkeypatch):
    monkeypatch.setattr("workers.effects.NOTIFY_INTERVALS", [0] * 6)  # retried at once instead of after 5 s…
    settings = make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram,
                             content_dir=content_with_group(tmp_path))
    system = Loket(settings, redis, fake_twilio, fake_telegram)
    with session_scope(system.sessions) as s:
        add_officer(s, name="Sari Supervisor", role="supervisor", units=["kesra"], telegram_user_id=SUPERVISOR)
    yield system
    system.close()


def _file(loket, citizen: str) -> None:
    for text in COMPLAINT:
        loket.whatsapp(text, from_=citizen)


def test_officer_notices_survive_telegram_errors(loket_with_group):
    loket = loket_with_group
    failing = {"left": 30}
    lock = threading.Lock()

    def bad_gateway(method, params):
        with lock:
            if method.lower() == "sendmessage" and str(params.get("chat_id")) == str(GROUP) and failing["left"] > 0:
                failing["left"] -= 1
                return 502
        return None
    loket.fake_telegram.fail_when(bad_gateway)
    citizens = [f"whatsapp:+62813000000{i:02d}" for i in range(8)]
    for citizen in citizens:
        _file(loket, citizen)
    loket.work()
    assert failing["left"] == 0  # the errors did happen
    numbers = [re.search(r"ADU-\d{4}-\d{4}", loket.last_whatsapp(c)).group(0) for c in citizens]
    notices = [t for t in loket.fake_telegram.texts_to(GROUP) if t]
    for number in numbers:
        assert sum(number in t for t in notices) == 1, number  # announced, once


def test_lihat_in_a_foreign_group_posts_nothing_there(loket_with_group):
    loket = loket_with_group
    _file(loket, CITIZEN)
    loket.work()
    number = re.search(r"ADU-\d{4}-\d{4}", loket.last_whatsapp()).group(0)
    foreign = -1009999999999
    loket.telegram_update(make_group_text_update(f"/lihat {number}", chat_id=foreign, user_id=SUPERVISOR))
    loket.work()
    assert loket.fake_telegram.texts_to(foreign) == []

    loket.telegram_update(make_group_text_update(f"/lihat {number}", chat_id=GROUP, user_id=SUPERVISOR))
    loket.telegram_update(make_text_update(f"/lihat {number}", chat_id=SUPERVISOR, user_id=SUPERVISOR))
    loket.work()
    assert any(number in t for t in loket.fake_telegram.texts_to(GROUP)[1:])  # after the notice
    assert any(number in t for t in loket.fake_telegram.texts_to(SUPERVISOR))
