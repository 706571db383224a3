"""One Bot and its HTTP connection pool per process, on an event loop in a thread of its own."""
from __future__ import annotations

import asyncio
import os
import threading
from typing import Awaitable, Callable

from telegram import Bot
from telegram.request import HTTPXRequest


class Session:
    """Every send of a process goes through one ``Bot`` and its connections: a new ``Bot`` per send opened
    a TLS connection and an event loop each time.

    Callers in any thread hand it coroutines; the loop runs them in turn. Built lazily at the first send
    (``Sender.session()``), never at import; a forked child builds its own (``pid``).
    """

    def __init__(self, bot: Bot, requests: tuple[HTTPXRequest, HTTPXRequest]):
        self.pid = os.getpid()
        self.bot, self.requests = bot, requests
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="telegram-session", daemon=True)
        self.thread.start()
        self.run(lambda _bot: self._initialize())

    async def _initialize(self) -> None:
        for request in self.requests:
            await request.initialize()

    def run(self, make: Callable[[Bot], Awaitable]):
        """Run ``make(bot)`` (a coroutine) on the session's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(make(self.bot), self.loop).result()

    def close(self) -> None:
        """Close the connections and stop the loop."""
        async def shutdown():
            for request in self.requests:
                await request.shutdown()
        try:
            asyncio.run_coroutine_threadsafe(shutdown(), self.loop).result(timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)
            self.loop.close()
