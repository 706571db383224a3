"""Evidence downloads go to Twilio's own hosts only, and its credentials only to its API."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.channels.twilio.media import allowed, download
from bot.exceptions import MediaRefused
from tests.conftest import make_settings
from tests.media_samples import png


class Counter(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.hits.append((self.path, "Authorization" in self.headers))
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.server.redirect_to)
            self.end_headers()
            return
        body = png()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def attacker():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    server.hits, server.redirect_to = [], ""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(redis_url, tmp_path, fake_twilio):
    return make_settings("sqlite://", redis_url, tmp_path, fake_twilio)


def _too_big(size):
    return MediaRefused("size")


def test_media_from_the_named_provider_host_is_fetched_through_its_redirect(settings, fake_twilio):
    url = fake_twilio.add_media(png(), "image/png")
    assert download(url, settings, 10**6, _too_big) == png()
    assert fake_twilio.media_fetches  # the first hop carried the credentials the fake demands


@pytest.mark.parametrize("template", [
    "http://127.0.0.1:{port}/a", "http://localhost:{port}/b", "http://0x7f000001:{port}/c",
    "http://2130706433:{port}/d", "http://[::1]:{port}/e", "https://127.0.0.1:{port}/f",
    "http://169.254.169.254/latest/meta-data", "http://user:pw@127.0.0.1:{port}/g", "ftp://127.0.0.1:{port}/h",
    "https://api.twilio.com.evil.example/x", "https://127.0.0.1.nip.io:{port}/i",
])
def test_any_other_host_gets_no_request_at_all(settings, attacker, template):
    url = template.format(port=attacker.server_address[1])
    assert not allowed(url, settings)
    with pytest.raises(MediaRefused):
        download(url, settings, 10**6, _too_big)
    assert attacker.hits == []


@pytest.mark.parametrize("target, followed", [("http://localhost:{port}/landed", False),
                                              ("http://127.0.0.1:{port}/landed", True)])
def test_redirects_go_only_to_allowed_hosts_and_never_with_the_credentials(settings, attacker, target, followed):
    port = attacker.server_address[1]
    provider = settings.with_(twilio_api_base_url=f"http://127.0.0.1:{port}")  # this server plays Twilio's API
    attacker.redirect_to = target.format(port=port)
    if followed:
        assert download(f"http://127.0.0.1:{port}/redirect", provider, 10**6, _too_big) == png()
        assert attacker.hits == [("/redirect", True), ("/landed", False)]  # credentials on the first hop only
    else:
        with pytest.raises(MediaRefused):
            download(f"http://127.0.0.1:{port}/redirect", provider, 10**6, _too_big)
        assert attacker.hits == [("/redirect", True)]  # the other host never saw a request


def test_a_named_media_host_that_resolves_to_a_private_address_is_refused(settings):
    assert not allowed("https://localhost/x", settings.with_(twilio_media_hosts=("localhost",)))
    assert not allowed("https://127.0.0.1/x", settings.with_(twilio_media_hosts=("127.0.0.1",)))
