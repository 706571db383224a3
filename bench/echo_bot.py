"""A bare echo bot on Loket's stack: the floor any bot built on Flask -> RQ -> Twilio's SDK pays.

``bench/pipeline_latency.py`` runs it in the same run as Loket, with the same gunicorn settings, the
same number of RQ ``SimpleWorker`` processes, Redis, and the same fake Twilio, so Loket's figures can
be read against it. The web route checks Twilio's signature, queues one RQ job with the sender and the
text, and answers the empty TwiML; the job sends the text back with ``twilio.rest.Client`` (one client
per process, built at the first send). No database, no state, no dedupe, no ordering: everything Loket
does beyond that is what its figures add to these.

    gunicorn -w 2 --threads 4 'bench.echo_bot:create_app()'                               # web
    rq worker -w rq.worker.SimpleWorker -u "$REDIS_URL" echo-inbound                      # worker

Settings from the environment, as Loket reads them: ``REDIS_URL``, ``PUBLIC_BASE_URL``,
``TWILIO_ACCOUNT_SID``, ``TWILIO_AUTH_TOKEN``, ``TWILIO_WHATSAPP_FROM``, ``TWILIO_API_BASE_URL``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUEUE = "echo-inbound"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
_client = None


def create_app():
    from flask import Flask, Response, abort, request
    from redis import Redis
    from rq import Queue
    from twilio.request_validator import RequestValidator

    app = Flask("echo")
    redis = Redis.from_url(os.environ["REDIS_URL"])
    inbound = Queue(QUEUE, connection=redis)
    validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
    public = os.environ["PUBLIC_BASE_URL"]

    @app.post("/webhooks/twilio")
    def webhook() -> Response:
        form = request.form.to_dict()
        if not validator.validate(public + request.full_path.rstrip("?"), form,
                                  request.headers.get("X-Twilio-Signature", "")):
            abort(403)
        inbound.enqueue("bench.echo_bot.reply", form.get("From", ""), form.get("Body", ""), result_ttl=0)
        return Response(EMPTY_TWIML, mimetype="text/xml")

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    return app


def client():
    """This process's Twilio client, built at the first send."""
    global _client
    if _client is None:
        from twilio.rest import Client
        from bot.channels.twilio.http import BaseUrlHttpClient
        base = os.environ.get("TWILIO_API_BASE_URL")
        http = BaseUrlHttpClient(base, timeout=10) if base else None
        _client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"], http_client=http)
    return _client


def reply(to: str, text: str) -> str:
    """Send ``text`` back to ``to``; return the message SID."""
    return client().messages.create(from_=os.environ["TWILIO_WHATSAPP_FROM"], to=to, body=text).sid
