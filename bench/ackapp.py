"""The WSGI app ``bench/webhook_ack.py`` serves under one gunicorn: Loket plus two baselines.

``gunicorn -w 2 --threads 4 'bench.ackapp:create_app()'`` (the Procfile's settings) serves:

* ``POST /webhooks/twilio``  -- Loket's real app (``webhooks.create_app()``, settings from the env):
  signature check, form parse, INSERT of the raw event, RPUSH + RQ enqueue, metrics.
* ``POST /bench/verify``     -- a route added to the *same* Loket app that runs only the real
  signature check (``webhooks.twilio._verify``) and returns the empty TwiML: the cost of
  Flask + request parsing + HMAC-SHA1, without the database and Redis.
* ``POST /bare/twilio``      -- a separate, bare Flask app that returns 200 with the empty TwiML
  and does nothing else: the floor set by gunicorn + Flask on this machine.
* ``POST /bare/record``      -- the bare app, plus what any webhook that acknowledges only what it
  has durably recorded must pay: the form (``request.form``) as one JSONB row, one autocommitted
  ``INSERT`` on a psycopg connection of the request's thread (PostgreSQL only). No Loket code.
* ``POST /bare/queue``       -- ``/bare/record`` plus one redis-py ``RPUSH`` of the row's id: the
  floor of a webhook that records in PostgreSQL and queues in Redis, as Loket's does.

A ten-line dispatcher picks the app by path prefix, so all three share the server, workers,
threads and connections of the same run.
"""
from __future__ import annotations

import json
import os
import threading

from flask import Flask, Response, request

_FLOOR_TABLE = "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, form jsonb NOT NULL)"


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

    local = threading.local()

    def record() -> int:
        conn = getattr(local, "conn", None)
        if conn is None:
            import psycopg
            conn = local.conn = psycopg.connect(os.environ["DATABASE_URL"].replace("postgresql+psycopg://",
                                                                                  "postgresql://"), autocommit=True)
        return conn.execute("INSERT INTO bench_floor (form) VALUES (%s::jsonb) RETURNING id",
                            (json.dumps(request.form.to_dict()),)).fetchone()[0]

    @bare.post("/bare/record")
    def bare_record() -> Response:
        record()
        return Response(EMPTY_TWIML, mimetype="text/xml")

    redis = None

    @bare.post("/bare/queue")
    def bare_queue() -> Response:
        nonlocal redis
        row = record()
        if redis is None:
            from redis import Redis
            redis = Redis.from_url(os.environ["REDIS_URL"])
        redis.rpush("bench:floor", row)
        return Response(EMPTY_TWIML, mimetype="text/xml")

    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        import psycopg
        with psycopg.connect(os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://"),
                             autocommit=True) as conn:
            conn.execute(_FLOOR_TABLE)

    def dispatch(environ, start_response):
        app = bare if environ.get("PATH_INFO", "").startswith("/bare/") else loket
        return app(environ, start_response)

    return dispatch
