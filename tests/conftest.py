"""Shared fixtures: real Redis, a real RQ worker, SQLite or PostgreSQL, fake Twilio and Telegram."""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from redis import Redis

from bot.settings import PROJECT_ROOT, Settings

pytest_plugins = ["tests.fakes.fixtures", "tests.privacy_plugin"]

REDIS_BASE = os.environ.get("LOKET_TEST_REDIS", "redis://127.0.0.1:6379")
REDIS_DBS = range(1, 11)  # 11 is the benchmarks'
POSTGRES_URL = os.environ.get("LOKET_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PUBLIC = "https://loket.example.go.id"
TELEGRAM_SECRET = "tg-secret_123"


@pytest.fixture(scope="session")
def redis_db():
    """A Redis database number of this test run's own: concurrent runs on one machine do not collide."""
    import fcntl
    for n in REDIS_DBS:
        handle = open(f"/tmp/loket-test-redis-{n}.lock", "w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            continue
        try:
            yield n
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    pytest.fail("every test Redis database (1-10) is in use by other test runs")


@pytest.fixture
def redis_url(redis_db) -> str:
    return f"{REDIS_BASE}/{redis_db}"


@pytest.fixture
def redis(redis_url):
    """A real Redis database, emptied before and after each test."""
    client = Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path):
    """SQLite by default; tests that must also run on PostgreSQL use ``pg_database_url``."""
    return f"sqlite:///{tmp_path / 'loket.db'}"


def _pg_schema_url(schema: str) -> str:
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_database_url():
    """A fresh PostgreSQL schema for one test, dropped afterwards."""
    from sqlalchemy import create_engine, text
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield _pg_schema_url(schema)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def both_databases(request, tmp_path):
    """For modules that must pass on both: override ``database_url`` with this fixture."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'loket.db'}"
    else:
        yield request.getfixturevalue("pg_database_url")


def content_with_units(tmp_path: Path, kesra_group: int, *, with_umum: bool = False) -> Path:
    """A copy of the shipped packs where Kesra's unit has a Telegram group (and, if asked, a second unit)."""
    import shutil

    import yaml
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    kesra = content / "buleleng-kesra" / "agency.yaml"
    data = yaml.safe_load(kesra.read_text())
    data["units"] = [{"id": "kesra", "name": "Bagian Kesejahteraan Rakyat", "telegram_chat_id": kesra_group}]
    if with_umum:
        data["units"].append({"id": "umum", "name": "Bagian Umum"})
    kesra.write_text(yaml.safe_dump(data, allow_unicode=True))
    return content


def content_with_channels(tmp_path: Path, channels_yaml: str, kesra_group: int) -> Path:
    """A copy of the shipped packs with ``channels.yaml`` beside them and Kesra's unit given a Telegram group."""
    content = content_with_units(tmp_path, kesra_group)
    (content / "channels.yaml").write_text(channels_yaml)
    return content


def make_settings(database_url: str, redis_url: str, tmp_path: Path, fake_twilio=None, fake_telegram=None,
                  **changes) -> Settings:
    base = Settings(
        database_url=database_url,
        redis_url=redis_url,
        content_dir=PROJECT_ROOT / "content",
        content_pack="buleleng-kesra",
        public_base_url=PUBLIC,
        twilio_account_sid=fake_twilio.account_sid if fake_twilio else "",
        twilio_auth_token=fake_twilio.auth_token if fake_twilio else "",
        twilio_whatsapp_from="whatsapp:+14155238886",
        twilio_api_base_url=fake_twilio.url if fake_twilio else "",
        telegram_bot_token=fake_telegram.token if fake_telegram else "",
        telegram_webhook_secret=TELEGRAM_SECRET,
        telegram_api_base_url=fake_telegram.url if fake_telegram else "https://api.telegram.org",
        media_dir=tmp_path / "media",
        simulator_enabled=True,
        secret_key="test-secret",
        telegram_chat_interval=0.05,  # the 1/s default is measured in its own test
        telegram_group_interval=0.05,
    )
    return base.with_(**changes)


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    """The whole system for one test (see ``tests/system.py``)."""
    from tests.system import Loket
    system = Loket(make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram), redis,
                   fake_twilio, fake_telegram)
    yield system
    system.close()
