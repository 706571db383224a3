"""The WSGI app ``bench/webhook_ack.py`` serves under one gunicorn: Loket plus two baselines.

``gunicorn -w 2 --threads 4 'bench.ackapp:create_app()'`` (the Procfile's settings) serves:

* ``POST /webhooks/twilio``  -- Loket's real app (``webhooks.create_app()``, settings from the env):
  signature check, form parse, INSERT of the raw event, RPUSH + RQ enqueue, metrics.
* ``POST /bench/verify``     -- a route added to the *same* Loket app that runs only the real
  signature check (``webhooks.twilio._verify``) and returns the empty TwiML: the cost of
  Flask + request parsing + HMAC-SHA1, without the database and Redis.
* ``POST /bare/twilio``      -- a separate, bare Flask app that returns 200 with the empty TwiML
  and does nothing else: the floor set by gunicorn + Flask on this machine.

A ten-line dispatcher picks the app by path prefix, so all three share the server, workers,
threads and connections of the same run.
"""
from __future__ import annotations

from flask import Flask, Response


def create_app():
    from webhooks import create_app as create_loket
    from webhooks.twilio import EMPTY_TWIML, _verify

    loket = create_loket()

    def verify_only() -> Response:
        _verify()
        return Response(EMPTY_TWIML, mimetype="text/xml")

    loket.add_url_rule("/bench/verify", "bench_verify", verify_only, methods=["POST"])

    bare = Flask("bare")

    @bare.post("/bare/twilio")
    def bare_twilio() -> Response:
        return Response(EMPTY_TWIML, mimetype="text/xml")

    def dispatch(environ, start_response):
        app = bare if environ.get("PATH_INFO", "").startswith("/bare/") else loket
        return app(environ, start_response)

    return dispatch
