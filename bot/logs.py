"""Logging set-up. Personal data never reaches the logs: code logs ids and kinds, never
names, phone numbers or message text; this filter masks phone numbers that slip through."""
from __future__ import annotations

import logging
import re

PHONE = re.compile(r"(?<!\d)(\+?62|0)8\d{7,12}(?!\d)")


class RedactPhones(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and PHONE.search(record.msg):
            record.msg = PHONE.sub("[phone]", record.msg)
        if record.args:
            record.args = tuple(PHONE.sub("[phone]", a) if isinstance(a, str) else a for a in
                                (record.args if isinstance(record.args, tuple) else (record.args,)))
        return True


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactPhones())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_libraries()


def quiet_libraries() -> None:
    """Silence library loggers that write request details (phone numbers, chat ids) at INFO."""
    # The Twilio SDK logs each request's headers and parameters; httpx logs Bot API URLs with chat ids.
    for noisy in ("twilio.http_client", "httpx", "telegram.ext", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
