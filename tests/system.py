"""A whole Loket for one test: web app, real RQ worker, real Redis, fake chat platforms.

Reads like the chat: ``loket.whatsapp("halo")`` posts a signed webhook,
``loket.work()`` runs a real RQ worker until the queues are empty, and the
fakes hold what the citizen received.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field

from rq import SimpleWorker

from bot.store.db import make_engine, make_session_factory, upgrade
from bot.settings import Settings
from tests.fakes.telegram_api import make_callback_update, make_text_update
from tests.fakes.twilio_api import make_inbound, signed_inbound
from webhooks import create_app
from bot.queues import Queues, queue
from workers.runtime import build, set_runtime

CITIZEN = "whatsapp:+6281234567890"
BOT_NUMBER = "whatsapp:+14155238886"


@dataclass
class Loket:
    settings: Settings
    redis: object
    fake_twilio: object = None
    fake_telegram: object = None
    engines: list = field(default_factory=list)

    def __post_init__(self):
        upgrade(self.settings.database_url)
        engine = make_engine(self.settings.database_url)
        self.engines.append(engine)
        self.sessions = make_session_factory(engine)
        self.app = create_app(self.settings, redis=self.redis, sessions=self.sessions)
        self.client = self.app.test_client()
        self.runtime = build(self.settings, self.redis)
        self.engines.append(self.runtime.sessions.kw["bind"])
        set_runtime(self.runtime)

    def close(self):
        set_runtime(None)
        for sender in self.runtime.senders.values():
            sender.close()
            http = getattr(getattr(sender, "client", None), "http_client", None)
            if http is not None and hasattr(http, "close"):
                http.close()
        for engine in self.engines:
            engine.dispose()

    # --- channels -------------------------------------------------------
    def whatsapp(self, body: str = "", from_: str = CITIZEN, signed: bool = True, **kw):
        params = make_inbound(body=body, from_=from_, to=BOT_NUMBER, account_sid=self.settings.twilio_account_sid, **kw)
        return self.post_twilio("/webhooks/twilio", params, signed=signed)

    def post_twilio(self, path: str, params: dict, signed: bool = True, signature: str | None = None):
        headers = {}
        if signed:
            _, sig = signed_inbound(self.settings.public_base_url + path, params, self.settings.twilio_auth_token)
            headers["X-Twilio-Signature"] = sig
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        return self.client.post(path, data=params, headers=headers)

    def telegram_update(self, update: dict, secret: str | None = None):
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.settings.telegram_webhook_secret if secret is None else secret}
        return self.client.post("/webhooks/telegram", data=json.dumps(update), headers=headers,
                                content_type="application/json")

    def telegram(self, text: str, chat_id: int = 700000001, **kw):
        return self.telegram_update(make_text_update(text, chat_id=chat_id, **kw))

    def telegram_press(self, data: str, chat_id: int = 700000001, **kw):
        return self.telegram_update(make_callback_update(data, chat_id=chat_id, **kw))

    # --- worker -----------------------------------------------------------
    def work(self):
        """Run a real RQ worker (in this process) until every Loket queue is empty."""
        queues = [queue(self.redis, name, self.settings.queue_prefix) for name in Queues.ALL]
        worker = SimpleWorker(queues, connection=self.redis)
        worker.work(burst=True)
        failed = [q.failed_job_registry for q in queues]
        errors = []
        for reg in failed:
            for job_id in reg.get_job_ids():
                job = reg.get_queue().fetch_job(job_id)
                errors.append(job.latest_result().exc_string if job and job.latest_result() else job_id)
        assert not errors, "jobs failed:\n" + "\n".join(errors)

    # --- what the citizen saw ------------------------------------------------
    def whatsapp_bodies(self, to: str = CITIZEN) -> list[str]:
        return [b for b in self.fake_twilio.bodies_to(to) if b is not None]

    def whatsapp_answers(self, to: str = CITIZEN) -> list[str]:
        """``whatsapp_bodies`` with a greeting and an answer's closing hint (each sent in the message it heads
        or closes) as items of their own."""
        return split_hints(self.whatsapp_bodies(to))

    def last_whatsapp(self, to: str = CITIZEN) -> str:
        return self.whatsapp_bodies(to)[-1]

    def telegram_texts(self, chat_id: int = 700000001) -> list[str]:
        return self.fake_telegram.texts_to(chat_id)

    def telegram_answers(self, chat_id: int = 700000001) -> list[str]:
        return split_hints(self.telegram_texts(chat_id))


# The line that closes an answer, in the answer's own message (flows.common.with_hint).
HINT_STARTS = ("Ada pertanyaan lain?", "Anything else?")
# Every pack's greeting ends so (content/*/messages.yaml); it heads a first contact's message (flows.common.headed).
GREETING_END = "🙏"


def split_hints(messages: list[str]) -> list[str]:
    """Each message as the parts it joins: a first contact's greeting, then what it heads; an answer, then
    its closing hint. Tests that read an answer apart from its greeting or hint use this."""
    out = []
    for text in messages:
        head, sep, rest = text.partition(GREETING_END + "\n\n")
        if sep and "\n" not in head:
            out.append(head + GREETING_END)
            text = rest
        for start in HINT_STARTS:
            head, sep, tail = text.rpartition("\n\n" + start)
            if sep:
                out += [head, start + tail]
                break
        else:
            out.append(text)
    return out


def _die_with_test_run():
    """A ``preexec_fn`` (Linux): the child gets SIGKILL when the test process dies, however it dies."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def preexec() -> None:
        prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        if os.getppid() != parent:  # the test run died between fork and prctl
            os._exit(1)

    return preexec


def start_worker_process(settings: Settings, log_path) -> subprocess.Popen:
    """A real ``loket worker`` in its own process, configured like production through the environment."""
    from tests.privacy_plugin import WORKER_LOGS
    env = dict(os.environ, **settings.to_env())
    WORKER_LOGS.append(log_path)
    log = open(log_path, "ab")
    try:
        # Its own session: a test can kill the whole process group as a crash would. And it dies with the
        # test run: a worker left behind by a killed run would take jobs from the next run on its Redis db.
        return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], env=env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_test_run())
    finally:
        log.close()


def stop_process(proc, timeout: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
