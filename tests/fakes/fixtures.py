"""Pytest fixtures for the fakes.

Use from any test module with ``pytest_plugins = ["tests.fakes.fixtures"]``
in a conftest, or import the fixtures explicitly. Each fixture is
function-scoped: a fresh server on a free port per test, so recorded state
never leaks between tests, and it is stopped (socket closed) afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .telegram_api import DEFAULT_BOT_TOKEN, FakeTelegram
from .twilio_api import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, FakeTwilio


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilio]:
    """A running :class:`FakeTwilio` (account ``DEFAULT_ACCOUNT_SID``, token ``test-auth-token``)."""
    with FakeTwilio(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN) as fake:
        yield fake


@pytest.fixture
def twilio_client(fake_twilio: FakeTwilio):
    """A real ``twilio.rest.Client`` wired to ``fake_twilio``; its session is closed afterwards."""
    from twilio.rest import Client

    from bot.channels.twilio.http import BaseUrlHttpClient

    http = BaseUrlHttpClient(fake_twilio.url)
    try:
        yield Client(fake_twilio.account_sid, fake_twilio.auth_token, http_client=http)
    finally:
        http.close()


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    """A running :class:`FakeTelegram` for bot token ``123456:TEST-token``.

    Point PTB at it: ``Bot(token, base_url=fake.base_url, base_file_url=fake.base_file_url)``.
    """
    with FakeTelegram(DEFAULT_BOT_TOKEN) as fake:
        yield fake
