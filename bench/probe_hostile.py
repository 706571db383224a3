"""Probe Loket as an attacker and a chaos tester would, on loopback, and print the figures of issue 13.

    .venv/bin/python bench/probe_hostile.py [--n 5000] [--only fuzz,media,kill] [--db postgres|sqlite]

1. fuzz: N validly signed but malformed payloads per webhook (Twilio inbound, Twilio status, Telegram),
   posted in-process to the app under production logging: count 5xx answers, and log lines (as
   written, tracebacks included) that carry a phone number, a chat id, a citizen's name or an SQL
   parameter dump. Plus one ``NumMedia=1000000000`` form, answered within 5 s or not.
2. media: the worker's evidence download given hostile ``MediaUrl``s (loopback ports, ``localhost``,
   ``0x7f000001``, a redirect to another host): requests that reached a host other than the
   provider's, and how many carried the Twilio credentials.
3. kill: K chats, one after another, each send "halo"; each time the worker is SIGKILLed while the
   reply is on the wire (every other time Twilio still takes it) and a new worker starts; the
   killed message is that chat's last and nothing is re-posted. Chats whose whole answer arrived
   within 30 s of the last kill, and replies that reached a chat more than once.

Nothing here asserts; it prints figures (and writes them as JSON to bench/results/). It runs on the
code it sits in or, with PYTHONPATH pointing at another checkout, on that checkout's code.
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import PUBLIC, make_database, now_stamp, redis_url  # noqa: E402

PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+?62|0)8\d{8,12}(?![0-9A-Za-z])")
SECRET = "probe-secret-key-" + "x" * 20
TG_SECRET = "probe_tg_secret"
NAMES = ("Budi Santoso", "Wayan Probe", "Ni Luh Sari")
CHAT_IDS = (700123457, 700765433, 812345671)
# Odd counts, bounded: the unbounded one (NumMedia=1000000000) is probed on its own, in a child process.
NUM_MEDIA = ("", "-1", "abc", "1.5", "99999", "11", " 3 ", "\u0663", "0x10", "1_0", "10")
UNICODE = ["\x00", "\u202e", "\ud7ff", "😀", "\u0000abc", "ℌ", "\u200b", "é" * 3, "\t\n", "<script>", "' OR 1=1 --"]


# --------------------------------------------------------------------------- payloads
def _odd(rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.2:
        return ""
    if choice < 0.4:
        return "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 6)))
    if choice < 0.55:
        return "A" * rng.choice((129, 300, 5000))
    if choice < 0.7:
        return str(rng.choice((-1, 0, 10**20, 2**63, 3.5)))
    if choice < 0.85:
        return "SM" + secrets.token_hex(rng.randint(1, 40))
    return "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(1, 30)))


def twilio_form(rng: random.Random, i: int) -> dict[str, str]:
    phone = rng.choice(("+6281234567890", "+628119876543", "+6285712345678"))
    form = {"MessageSid": "SM" + secrets.token_hex(16), "AccountSid": "AC" + "a" * 32,
            "From": f"whatsapp:{phone}", "To": "whatsapp:+14155238886", "Body": rng.choice(("halo", "1", "")),
            "NumMedia": "0", "ProfileName": rng.choice(NAMES), "WaId": phone.lstrip("+")}
    for key in rng.sample(["MessageSid", "AccountSid", "From", "To", "Body", "NumMedia", "ProfileName",
                           "Latitude", "Longitude", "Label", "Address", "ButtonPayload", "ButtonText",
                           "MediaUrl0", "MediaContentType0", "MediaUrl1", "OriginalRepliedMessageSid"],
                          rng.randint(1, 5)):
        form[key] = rng.choice(NUM_MEDIA) if key == "NumMedia" else _odd(rng)
    if rng.random() < 0.15:
        form.pop(rng.choice(list(form)))
    if rng.random() < 0.1:
        form["NumMedia"] = str(rng.choice((1, 5, 11, 1000, 99999, -3)))
        form["MediaUrl0"] = "http://127.0.0.1:9/x"
    if rng.random() < 0.05:
        form["Body"] = "x" * rng.choice((4097, 65536, 500_000))
    if rng.random() < 0.05:
        form["Latitude"], form["Longitude"] = rng.choice((("nan", "inf"), ("1e400", "-1e400"), ("91", "181")))
    return form


def status_form(rng: random.Random, i: int) -> dict[str, str]:
    form = {"MessageSid": "SM" + secrets.token_hex(16), "MessageStatus": rng.choice(("sent", "delivered", "failed")),
            "AccountSid": "AC" + "a" * 32, "To": "whatsapp:+6281234567890", "From": "whatsapp:+14155238886"}
    for key in rng.sample(["MessageSid", "MessageStatus", "SmsStatus", "ErrorCode", "To", "ErrorMessage"],
                          rng.randint(1, 3)):
        form[key] = _odd(rng)
    if rng.random() < 0.2:
        form["ErrorCode"] = rng.choice(("63016", "x" * 40, "-1", "\x00"))
    return form


def telegram_update(rng: random.Random, i: int):
    chat = rng.choice(CHAT_IDS)
    user = {"id": chat, "is_bot": False, "first_name": rng.choice(NAMES)}
    message = {"message_id": rng.randint(1, 10**6), "date": int(time.time()),
               "chat": {"id": chat, "type": "private", "first_name": user["first_name"]}, "from": user,
               "text": rng.choice(("halo", "/lihat ADU-2612-0001", "1"))}
    update: object = {"update_id": 10**8 + i, "message": message}
    r = rng.random()
    mutate = [lambda: message.pop("chat"), lambda: message.pop("from"), lambda: message.update(text=_odd(rng)),
              lambda: message.update(chat={"id": _odd(rng), "type": "private"}),
              lambda: message.update(photo=[{"file_id": _odd(rng), "file_unique_id": "u", "width": "x", "height": 1}]),
              lambda: message.update(document={"file_id": _odd(rng), "file_unique_id": "u", "file_size": 10**12}),
              lambda: message.update(location={"latitude": _odd(rng), "longitude": 1}),
              lambda: message.update(date=_odd(rng)),
              lambda: update.update(update_id=_odd(rng)),
              lambda: update.update(message=_odd(rng)),
              lambda: update.update(callback_query={"id": _odd(rng), "from": user, "data": _odd(rng),
                                                    "chat_instance": "1"}),
              lambda: update.update(callback_query={"id": "1", "from": {"id": _odd(rng)}, "chat_instance": "1"}),
              lambda: message.update(text="x" * 70000),
              lambda: message.update(chat={"id": -100123, "type": "supergroup", "title": _odd(rng)})]
    for fn in rng.sample(mutate, rng.randint(1, 3)):
        fn()
    if r < 0.03:
        return rng.choice(([], "halo", 12, None, {"update_id": None}))
    return update


# --------------------------------------------------------------------------- helpers
def _settings(db_url: str, workdir: Path, twilio=None, telegram=None, **changes):
    from bot.settings import PROJECT_ROOT, Settings
    return Settings(database_url=db_url, redis_url=redis_url(), content_dir=PROJECT_ROOT / "content",
                    public_base_url=PUBLIC, twilio_account_sid=twilio.account_sid if twilio else "AC" + "a" * 32,
                    twilio_auth_token=twilio.auth_token if twilio else "probe-token",
                    twilio_whatsapp_from="whatsapp:+14155238886", twilio_api_base_url=twilio.url if twilio else "",
                    telegram_bot_token=telegram.token if telegram else "123:probe",
                    telegram_webhook_secret=TG_SECRET, telegram_api_base_url=telegram.url if telegram else
                    "https://api.telegram.org", media_dir=workdir / "media", secret_key=SECRET,
                    queue_prefix="probe-").with_(**changes)


def _personal(line: str) -> bool:
    return bool(PHONE.search(line)) or any(n in line for n in NAMES) or any(str(c) in line for c in CHAT_IDS) \
        or "[parameters:" in line


def _capture_logs() -> io.StringIO:
    """Production logging (bot.ops.logs.setup_logging), written to a buffer instead of stderr."""
    from bot.ops.logs import setup_logging
    setup_logging()
    buffer = io.StringIO()
    for handler in logging.getLogger().handlers:
        handler.setStream(buffer)
    return buffer


# --------------------------------------------------------------------------- 1. fuzz
def probe_fuzz(n: int, db_kind: str, workdir: Path) -> dict:
    from redis import Redis
    from twilio.request_validator import RequestValidator

    from bot.store.db import make_engine, make_session_factory
    from webhooks import create_app
    db = make_database(db_kind, workdir)  # migrated
    db_url = db.url
    try:
        settings = _settings(db_url, workdir)
        redis = Redis.from_url(settings.redis_url)
        redis.flushdb()
        engine = make_engine(db_url)
        app = create_app(settings, redis=redis, sessions=make_session_factory(engine))
        client = app.test_client()
        logs = _capture_logs()
        validator = RequestValidator(settings.twilio_auth_token)
        rng = random.Random(13)
        out: dict = {}
        for name, path, make in (("twilio_inbound", "/webhooks/twilio", twilio_form),
                                 ("twilio_status", "/webhooks/twilio/status", status_form),
                                 ("telegram", "/webhooks/telegram", telegram_update)):
            codes: dict[int, int] = {}
            started = time.monotonic()
            for i in range(n):
                payload = make(rng, i)
                if path == "/webhooks/telegram":
                    resp = client.post(path, data=json.dumps(payload), content_type="application/json",
                                       headers={"X-Telegram-Bot-Api-Secret-Token": TG_SECRET})
                else:
                    sig = validator.compute_signature(PUBLIC + path, payload)
                    resp = client.post(path, data=payload, headers={"X-Twilio-Signature": sig})
                codes[resp.status_code] = codes.get(resp.status_code, 0) + 1
            out[name] = {"payloads": n, "5xx": sum(c for s, c in codes.items() if s >= 500), "codes": codes,
                         "seconds": round(time.monotonic() - started, 1)}
            print(f"fuzz {name}: {out[name]}", flush=True)
        lines = logs.getvalue().splitlines()
        out["log_lines"] = len(lines)
        out["log_lines_with_personal_data"] = sum(_personal(line) for line in lines)
        out["log_lines_with_sql_parameters"] = sum("[parameters:" in line for line in lines)
        logging.getLogger().handlers[:] = []
        engine.dispose()
        redis.flushdb()
    finally:
        db.close()
    out["num_media_1e9_answered_within_5s"] = _num_media_huge(db_kind, workdir)
    return out


def _num_media_huge(db_kind: str, workdir: Path) -> bool:
    """One form with ``NumMedia=1000000000`` in a child process: does the webhook answer within 5 s?"""
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from bench.probe_hostile import _settings, PUBLIC
from bot.store.db import upgrade
from pathlib import Path
from twilio.request_validator import RequestValidator
from webhooks import create_app
s = _settings("sqlite:///" + {str(workdir / 'huge.db')!r}, Path({str(workdir)!r}))
upgrade(s.database_url)
form = {{"MessageSid": "SM" + "1" * 32, "From": "whatsapp:+6281234567890", "To": "whatsapp:+14155238886",
        "Body": "halo", "NumMedia": "1000000000", "AccountSid": "AC" + "a" * 32}}
sig = RequestValidator(s.twilio_auth_token).compute_signature(PUBLIC + "/webhooks/twilio", form)
print(create_app(s).test_client().post("/webhooks/twilio", data=form, headers={{"X-Twilio-Signature": sig}}).status_code)
"""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=dict(os.environ))
    try:
        stdout, _ = proc.communicate(timeout=5 + 3)  # ~3 s to import and migrate
        print(f"NumMedia=1000000000: answered {stdout.decode().strip()}", flush=True)
        return proc.returncode == 0
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        print("NumMedia=1000000000: no answer within 5 s", flush=True)
        return False


# --------------------------------------------------------------------------- 2. media
class _Counter(BaseHTTPRequestHandler):
    hits: list = []
    redirect_to: str | None = None

    def do_GET(self):  # noqa: N802 - http.server's name
        type(self).hits.append({"path": self.path, "auth": "Authorization" in self.headers})
        if self.redirect_to and self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", self.redirect_to)
            self.end_headers()
            return
        png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
               b"\x15\xc4\x89\x00\x00\x00\nIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(png)))
        self.end_headers()
        self.wfile.write(png)

    def log_message(self, *args):
        pass


def probe_media(db_kind: str, workdir: Path) -> dict:
    from datetime import datetime, timezone

    from redis import Redis

    from bot.store.db import session_scope
    from bot.store.citizens import get_or_create_citizen, get_or_create_conversation
    from bot.types import Media, Message
    from tests.fakes.twilio_api import FakeTwilio
    from workers import media as worker_media
    from workers.runtime import build

    class Hits(_Counter):
        hits = []

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hits)
    port = server.server_address[1]
    Hits.redirect_to = f"http://127.0.0.1:{port}/landed"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = make_database("sqlite", workdir)  # migrated
    db_url = db.url
    fake = FakeTwilio().start()
    try:
        settings = _settings(db_url, workdir, twilio=fake)
        rt = build(settings, Redis.from_url(settings.redis_url))
        with session_scope(rt.sessions) as session:
            convo = get_or_create_conversation(session, get_or_create_citizen(session, "whatsapp", "+6281234567890",
                                                                              None), "whatsapp", "+6281234567890")
            convo_id = convo.id
        hostile = [f"http://127.0.0.1:{port}/a", f"http://localhost:{port}/b", f"http://0x7f000001:{port}/c",
                   f"http://2130706433:{port}/d", f"http://[::1]:{port}/e", f"http://127.0.0.1:{port}/redirect",
                   f"https://127.0.0.1:{port}/f", f"http://169.254.169.254:{port}/latest/meta-data",
                   f"{fake.url}/../../127.0.0.1:{port}/g", f"http://user@127.0.0.1:{port}/h"]
        genuine = fake.add_media(_Counter_png(), "image/png")
        stored = []
        for url in hostile + [genuine]:
            msg = Message(channel="whatsapp", chat_id="+6281234567890", sender_id="+6281234567890", kind="media",
                          text="", media=(Media(ref=url, content_type="image/png"),),
                          received_at=datetime.now(timezone.utc), platform_id="MM" + secrets.token_hex(16))
            result = worker_media.fetch_one(rt, msg, msg.media[0], convo_id)
            stored.append(result.evidence_id is not None)
        out = {"hostile_urls": len(hostile), "requests_to_non_provider_host": len(Hits.hits),
               "with_credentials": sum(h["auth"] for h in Hits.hits), "hostile_media_stored": sum(stored[:-1]),
               "genuine_media_stored": stored[-1]}
        print(f"media: {out}", flush=True)
        return out
    finally:
        fake.stop()
        server.shutdown()
        server.server_close()
        db.close()


def _Counter_png() -> bytes:  # noqa: N802
    from tests.media_samples import png
    return png()


# --------------------------------------------------------------------------- 3. kill
def probe_kill(chats: int, db_kind: str, workdir: Path) -> dict:
    from redis import Redis

    from tests.fakes.twilio_api import FakeTwilio, make_inbound
    from twilio.request_validator import RequestValidator
    from webhooks import create_app
    db = make_database(db_kind, workdir)  # migrated
    db_url = db.url
    fake = FakeTwilio().start()
    procs = []
    try:
        settings = _settings(db_url, workdir, twilio=fake, chat_lock_seconds=5)
        redis = Redis.from_url(settings.redis_url)
        redis.flushdb()
        app = create_app(settings, redis=redis)
        client = app.test_client()
        validator = RequestValidator(settings.twilio_auth_token)
        env = dict(os.environ, **settings.to_env(), PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
        log = open(workdir / "worker.log", "ab")

        def worker():
            p = subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], env=env, stdout=log,
                                 stderr=subprocess.STDOUT, start_new_session=True, cwd=str(ROOT))
            procs.append(p)
            return p

        def post(number: str, text: str = "halo"):
            form = make_inbound(text, from_=f"whatsapp:{number}", account_sid=settings.twilio_account_sid)
            client.post("/webhooks/twilio", data=form,
                        headers={"X-Twilio-Signature": validator.compute_signature(PUBLIC + "/webhooks/twilio", form)})

        # A control chat, undisturbed: what a complete answer to "halo" is.
        control = "+6281299999999"
        first = worker()
        post(control)
        deadline = time.monotonic() + 30
        while not fake.bodies_to(f"whatsapp:{control}") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.5)
        expected = set(fake.bodies_to(f"whatsapp:{control}"))
        numbers = [f"+62812{7000000 + i:07d}" for i in range(chats)]
        state = {"hold": False, "take": False}
        held, release = threading.Event(), threading.Event()

        def hold(form):  # the reply is on the wire when the worker dies
            if state["hold"] and form.get("To") == state["to"]:
                held.set()
                release.wait(60)
                return None if state["take"] else (503, 20503)  # odd rounds: Twilio took it; even: it did not
            return None
        fake.fail_when(hold)
        current = first
        for i, number in enumerate(numbers):
            held.clear()
            release.clear()
            state.update(hold=True, take=bool(i % 2), to=f"whatsapp:{number}")
            post(number)
            if not held.wait(30):
                break
            os.killpg(current.pid, signal.SIGKILL)
            current.wait(10)
            state["hold"] = False
            release.set()
            current = worker()
        killed_at = time.monotonic()
        answered_at: dict[str, float] = {}
        while time.monotonic() - killed_at < 30 and len(answered_at) < chats:
            for number in numbers:
                if number not in answered_at and expected <= set(fake.bodies_to(f"whatsapp:{number}")):
                    answered_at[number] = time.monotonic() - killed_at
            time.sleep(0.2)
        time.sleep(2)  # anything doubled would show now
        bodies = [fake.bodies_to(f"whatsapp:{n}") for n in numbers]
        doubled = [len(b) - len(set(b)) for b in bodies]  # the menu is several messages; each must come once
        out = {"chats": chats, "answered_within_30s": len(answered_at),
               "answered_exactly_once": sum(1 for n, d in zip(numbers, doubled) if d == 0 and n in answered_at),
               "replies_beyond_one": sum(doubled),
               "slowest_seconds": round(max(answered_at.values()), 1) if answered_at else None}
        print(f"kill: {out}", flush=True)
        if out["answered_within_30s"] < chats:
            print("worker log (last lines):\n" + "\n".join(
                (workdir / "worker.log").read_text(errors="replace").splitlines()[-15:]), flush=True)
        return out
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        fake.stop()
        Redis.from_url(redis_url()).flushdb()
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=5000, help="fuzzed payloads per webhook")
    parser.add_argument("--chats", type=int, default=10)
    parser.add_argument("--only", default="fuzz,media,kill")
    parser.add_argument("--db", default="postgres", choices=("postgres", "sqlite"))
    args = parser.parse_args()
    results: dict = {"code": str(ROOT), "db": args.db}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        parts = args.only.split(",")
        if "fuzz" in parts:
            results["fuzz"] = probe_fuzz(args.n, args.db, workdir)
        if "media" in parts:
            results["media"] = probe_media(args.db, workdir)
        if "kill" in parts:
            results["kill"] = probe_kill(args.chats, args.db, workdir)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"probe_hostile-{now_stamp()}.json"
    path.write_text(json.dumps(results, indent=2, default=str))
    print(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
