"""Run a WSGI app on 127.0.0.1 in a background thread, for tests.

The fakes in this package are plain WSGI apps. Tests drive the *real* SDKs
(twilio's requests-based client, python-telegram-bot's httpx client) against
them, so the apps have to be reachable over a real TCP socket. This module
owns that socket and its thread, and makes shutdown deterministic so that
pytest's ``filterwarnings = error`` never sees a leaked socket.
"""

from __future__ import annotations

import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _QuietHandler(WSGIRequestHandler):
    """Request handler that does not print one access-log line per request.

    Errors are still logged (``log_error`` is untouched); only the noisy
    "GET /... 200" lines are dropped so test output stays readable.
    """

    def log_request(self, code: Any = "-", size: Any = "-") -> None:  # noqa: D102
        return None


class FakeServer:
    """Serve ``app`` on ``127.0.0.1:<free port>`` from a daemon thread.

    Usage::

        with FakeServer(app) as srv:
            requests.get(srv.url + "/ping")

    ``threaded=True`` matters: the SDKs keep connections alive and a worker
    under test may send from several threads at once; a single-threaded
    server would serialise (or dead-lock) them.
    """

    def __init__(self, app: Any, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self.host = host
        self.port = port
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL without trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._server is None:
            raise RuntimeError("server not started")
        return f"http://{self.host}:{self._server.server_port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> "FakeServer":
        """Bind the socket (port 0 = let the OS pick a free one) and serve."""
        if self._server is not None:
            return self
        server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler
        )
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-server-{server.server_port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop accepting, close the listening socket and join the thread.

        Connections a client still keeps alive are served by daemon threads;
        they end as soon as that client closes its pool.
        """
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> "FakeServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class Served:
    """Start, stop and ``with`` for a fake API that keeps its server in ``self._server``."""

    _server: FakeServer

    @property
    def url(self) -> str:
        return self._server.url

    def start(self):
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
