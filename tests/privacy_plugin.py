"""Personal data never reaches the logs: every log line of the whole test run is checked at the end.

Loggers are set up as in production (``bot.ops.logs.quiet_libraries`` and the
``bot.ops.logs.Redact`` filter every production handler has), every record is
kept as it would be written, tracebacks included, and worker processes' log
files are read too. The session fails when a phone number, a test citizen's
name, a NIK or an SQL parameter dump appears.
"""
from __future__ import annotations

import logging
import re

import pytest

# Not inside a longer word: job ids and hashes are hex ("…-e0856104519a") and must not match.
PHONE = re.compile(r"(?<![0-9A-Za-z])(?:\+?62|0)8\d{8,12}(?![0-9A-Za-z])")
NIK = re.compile(r"(?<![0-9A-Za-z])\d{16}(?![0-9A-Za-z])")
#: Names the tests give citizens (see tests/e2e): none may be logged.
NAMES = ("Budi Santoso", "Wayan Citizen", "Pak Made", "Ni Luh Fuzz")
WORKER_LOGS: list = []


class KeepAll(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        from bot.ops.logs import Redact
        self.addFilter(Redact())  # as every production handler has (bot.ops.logs.setup_logging)

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith("tests"):
            self.lines.append(as_line(record))
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                self.lines.extend(record.exc_text.splitlines())


_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def as_line(record: logging.LogRecord) -> str:
    """The record as it would be written: message plus any ``extra={}`` fields."""
    try:
        text = record.getMessage()
    except (TypeError, ValueError):  # a malformed log call still gets checked as written
        text = str(record.msg)
    extra = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    return f"{record.name}: {text} {extra if extra else ''}"


_handler = KeepAll()


def offending(lines) -> list[str]:
    found = []
    for line in lines:
        if PHONE.search(line) or NIK.search(line) or any(name in line for name in NAMES) or "[parameters:" in line:
            found.append(line)
    return found


def pytest_sessionstart(session):
    from bot.ops.logs import quiet_libraries
    root = logging.getLogger()
    root.addHandler(_handler)
    root.setLevel(logging.INFO)
    quiet_libraries()


def pytest_sessionfinish(session, exitstatus):
    lines = list(_handler.lines)
    for path in WORKER_LOGS:
        try:
            lines += path.read_text(errors="replace").splitlines()
        except OSError:
            continue
    bad = offending(lines)
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if bad:
        if reporter:
            reporter.write_line(f"PRIVACY: {len(bad)} log line(s) with personal data:", red=True)
            for line in bad[:20]:
                reporter.write_line("  " + line[:300], red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
    elif reporter:
        reporter.write_line(f"privacy: {len(lines)} log lines checked, no personal data")
