"""Logging set-up, and the one filter every log line passes before it is written.

Code logs ids and kinds, never names, phone numbers or message text. What slips
through anyway is caught here: an exception's message (SQLAlchemy puts the SQL
and its bound parameters there, a ValueError often the value) is never written,
only its type and the frames it passed; SQL and parameter dumps are cut off;
phone numbers and long digit runs (chat ids, NIK) are masked.
"""
from __future__ import annotations

import logging
import re
import traceback

PHONE = re.compile(r"(?<!\d)(\+?62|0)8\d{7,12}(?!\d)")
# Telegram chat and user ids, NIK, bare phone numbers: any run of 9 or more digits (row ids stay readable).
LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])-?\d{9,}(?![0-9A-Za-z])")
SQL_DUMP = re.compile(r"\s*\[(?:SQL|parameters):.*", re.DOTALL)


def scrub(text: str) -> str:
    """``text`` without SQL dumps, phone numbers or long numbers."""
    text = SQL_DUMP.sub(" [sql hidden]", text)
    text = PHONE.sub("[phone]", text)
    return LONG_NUMBER.sub("[number]", text)


def safe_traceback(exc: BaseException) -> str:
    """The frames and exception types of ``exc`` (and its causes), without any exception's message."""
    parts: list[str] = []
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        frames = traceback.extract_tb(exc.__traceback__)
        lines = [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        parts.insert(0, "\n".join(["Traceback (most recent call last):", *lines,
                                   f"{type(exc).__module__}.{type(exc).__qualname__} (message hidden)"]))
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "\nThe above exception led to:\n".join(parts)


class Redact(logging.Filter):
    """Rewrite each record so that no personal data reaches a handler's output."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed log call: keep only its format string
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1])
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


RedactPhones = Redact  # the earlier name


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_libraries()


def quiet_libraries() -> None:
    """Silence library loggers that write request details (phone numbers, chat ids) at INFO."""
    # The Twilio SDK logs each request's headers and parameters; httpx logs Bot API URLs with chat ids.
    for noisy in ("twilio.http_client", "httpx", "telegram.ext", "werkzeug"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
