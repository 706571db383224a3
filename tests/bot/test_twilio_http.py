"""The Twilio HTTP client reads the environment's proxy settings once per origin, and still obeys them."""
from __future__ import annotations

import requests.sessions

from bot.channels.twilio.http import LoketHttpClient


def test_proxy_from_the_environment_is_used_and_read_once(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.pemda.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    reads = []
    real = requests.sessions.get_environ_proxies
    monkeypatch.setattr(requests.sessions, "get_environ_proxies", lambda *a, **kw: reads.append(1) or real(*a, **kw))
    client = LoketHttpClient(timeout=15)
    try:
        url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
        for _ in range(3):
            settings = client.session.merge_environment_settings(url, {}, None, None, None)
            assert settings["proxies"]["https"] == "http://proxy.pemda.example:3128"
        assert len(reads) == 1
        other = client.session.merge_environment_settings("https://media.twiliocdn.com/x", {}, None, None, None)
        assert other["proxies"]["https"] == "http://proxy.pemda.example:3128" and len(reads) == 2
    finally:
        client.close()
