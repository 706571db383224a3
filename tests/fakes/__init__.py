"""Local fakes of the Twilio and Telegram HTTP APIs for tests.

The real SDKs (``twilio.rest.Client``, ``telegram.Bot``) talk to these over
real sockets, so only the network edge is faked. See ``fixtures.py`` for the
pytest fixtures (``fake_twilio``, ``fake_telegram``, ``twilio_client``).
"""

from .server import FakeServer
from .telegram_api import DEFAULT_BOT_TOKEN, FakeTelegram
from .twilio_api import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, FakeTwilio

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "DEFAULT_BOT_TOKEN",
    "FakeServer",
    "FakeTelegram",
    "FakeTwilio",
]
