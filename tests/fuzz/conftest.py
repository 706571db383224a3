import pytest

from tests.conftest import make_settings
from tests.system import Loket


@pytest.fixture
def loket(pg_database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    """On PostgreSQL: it refuses what SQLite lets through (NUL characters, over-long ids, NaN in JSON)."""
    # No media host but the fake: a fuzzed MediaUrl never leaves the machine.
    settings = make_settings(pg_database_url, redis_url, tmp_path, fake_twilio, fake_telegram, twilio_media_hosts=())
    system = Loket(settings, redis,
                   fake_twilio, fake_telegram)
    yield system
    system.close()
