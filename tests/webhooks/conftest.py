import pytest

from tests.conftest import make_settings
from tests.system import Loket


@pytest.fixture
def loket(database_url, redis, redis_url, tmp_path, fake_twilio, fake_telegram):
    system = Loket(make_settings(database_url, redis_url, tmp_path, fake_twilio, fake_telegram), redis,
                   fake_twilio, fake_telegram)
    yield system
    system.close()
