"""The Twilio SDK's transport: what reaches the wire, proxies, and errors as the SDK's callers know them."""
from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from urllib.parse import parse_qs

import pytest
import requests
import requests.utils
from twilio.rest import Client

from bot.channels.twilio.http import BaseUrlHttpClient, LoketHttpClient


class _Recorder(BaseHTTPRequestHandler):
    """Answers every request with a Twilio-like JSON message and keeps what it got."""

    protocol_version = "HTTP/1.1"  # keeps connections alive, as Twilio's API does

    seen: list = []
    ports: set = set()  # the client's side of each connection a request came on
    delay = 0.0

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.seen.append((self.command, self.path, dict(self.headers), self.rfile.read(length)))
        self.ports.add(self.client_address[1])
        time.sleep(self.delay)
        body = json.dumps({"sid": "SM" + "a" * 32, "status": "queued", "body": "é"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # the client that timed out has gone: the late answer has nowhere to go


@pytest.fixture
def server():
    _Recorder.seen, _Recorder.ports, _Recorder.delay = [], set(), 0.0
    httpd = _QuietServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_the_sdk_sends_a_form_with_basic_auth_and_reads_the_answer(server):
    with BaseUrlHttpClient(f"http://127.0.0.1:{server.server_port}", timeout=5) as http:
        client = Client("AC" + "1" * 32, "secret", http_client=http)
        message = client.messages.create(from_="whatsapp:+14155238886", to="whatsapp:+6281234567890",
                                          body="Halo & selamat, 100% ✓", media_url=["https://a/1.png", "https://a/2.png"])
    assert message.sid == "SM" + "a" * 32 and message.body == "é"
    method, path, headers, body = _Recorder.seen[0]
    assert method == "POST" and path == f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json"
    assert headers["Authorization"] == requests.auth._basic_auth_str("AC" + "1" * 32, "secret")
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    fields = parse_qs(body.decode())
    assert fields["Body"] == ["Halo & selamat, 100% ✓"] and fields["MediaUrl"] == ["https://a/1.png", "https://a/2.png"]
    assert fields["To"] == ["whatsapp:+6281234567890"]


def test_query_parameters_and_json_bodies_are_encoded_as_requests_does(server):
    base = f"http://127.0.0.1:{server.server_port}"
    http = LoketHttpClient(timeout=5)
    answer = http.request("GET", base + "/Messages.json", params={"To": "whatsapp:+62812", "PageSize": 100,
                                                                 "DateSent": None})
    assert answer.status_code == 201 and json.loads(answer.text)["body"] == "é"
    http.request("POST", base + "/v1/x", data={"a": [1, 2], "b": None}, headers={"Content-Type": "application/json"})
    http.close()
    (_, get_path, _, _), (_, _, post_headers, post_body) = _Recorder.seen
    assert get_path == "/Messages.json?To=whatsapp%3A%2B62812&PageSize=100"
    assert post_headers["Content-Type"] == "application/json" and json.loads(post_body) == {"a": [1, 2], "b": None}


def test_a_refused_connection_is_one_never_made_and_a_slow_answer_one_never_read(server):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    http = LoketHttpClient(timeout=0.5)
    with pytest.raises(requests.exceptions.ConnectionError) as refused:
        http.request("POST", f"http://127.0.0.1:{closed}/x", data={"a": "1"})
    assert "NewConnectionError" in repr(refused.value.args)  # bot.channels.twilio.sender._never_sent
    _Recorder.delay = 1.5
    with pytest.raises(requests.exceptions.ReadTimeout):
        http.request("POST", f"http://127.0.0.1:{server.server_port}/x", data={"a": "1"})
    http.close()


def test_proxy_from_the_environment_is_used_and_read_once_per_origin(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://user:rahasia@proxy.pemda.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.pemda.example")
    monkeypatch.delenv("no_proxy", raising=False)
    reads = []
    real = requests.utils.get_environ_proxies
    monkeypatch.setattr(requests.utils, "get_environ_proxies", lambda *a, **kw: reads.append(1) or real(*a, **kw))
    http = LoketHttpClient(timeout=15)
    url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"
    pools = {id(http._pool(url)) for _ in range(3)}
    assert len(pools) == 1 and len(reads) == 1
    proxied = http._pool(url)
    assert proxied.proxy.host == "proxy.pemda.example" and proxied.proxy.port == 3128
    assert proxied.proxy_headers["proxy-authorization"] == requests.auth._basic_auth_str("user", "rahasia")
    assert http._pool("https://media.twiliocdn.com/x") is proxied and len(reads) == 2
    direct = http._pool("https://internal.pemda.example/x")
    assert getattr(direct, "proxy", None) is None  # NO_PROXY
    http.close()


def test_a_sender_keeps_one_connection_per_turn_thread_across_rounds_of_sends(server, tmp_path):
    """Sixteen turns sending at once, three times over, open sixteen connections, not one per send.

    A pool smaller than the worker's turn threads closed the extra connections after each send, and
    against Twilio every later send paid a new TCP and TLS handshake across the Pacific.
    """
    from redis import Redis
    from bot.channels.twilio.sender import TwilioSender
    from bot.settings import Settings
    settings = Settings.from_env({"DATABASE_URL": f"sqlite:///{tmp_path}/x.db", "WORKER_THREADS": "16",
                                  "TWILIO_ACCOUNT_SID": "AC" + "1" * 32, "TWILIO_AUTH_TOKEN": "secret",
                                  "TWILIO_API_BASE_URL": f"http://127.0.0.1:{server.server_port}"})
    sender = TwilioSender(settings, Redis())
    _Recorder.delay = 0.2  # long enough that the sixteen overlap
    for _round in range(3):
        threads = [threading.Thread(target=sender.client.messages.create,
                                    kwargs=dict(from_="whatsapp:+14155238886", to=f"whatsapp:+6281200000{i:03d}",
                                                body="Halo")) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(_Recorder.seen) == 48
    assert len(_Recorder.ports) <= 16
