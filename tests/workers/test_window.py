"""WhatsApp's 24-hour window, the one rule every message Loket starts itself goes through."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from workers.window import window_open

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("channel, silent, expected", [
    ("whatsapp", timedelta(minutes=1), True),
    ("whatsapp", timedelta(hours=23, minutes=59, seconds=59), True),
    ("whatsapp", timedelta(hours=24), False),
    ("whatsapp", timedelta(days=3), False),
    ("sms", timedelta(days=30), True),  # SMS has no window
    ("telegram", timedelta(days=30), True),
    ("simulator", timedelta(days=30), True),
])
def test_window_by_channel_and_silence(channel, silent, expected):
    assert window_open(channel, NOW - silent, now=NOW) is expected


def test_a_chat_that_never_wrote_is_outside_the_window():
    assert window_open("whatsapp", None, now=NOW) is False
    assert window_open("telegram", None, now=NOW) is True
    assert window_open("sms", None, now=NOW) is True


def test_the_rule_is_written_once():
    """WhatsApp's module states its 24 hours (its ``WINDOW``); no other module writes them down."""
    import pathlib
    root = pathlib.Path(__file__).resolve().parents[2]
    hits = [p.relative_to(root).as_posix() for folder in ("bot", "flows", "workers", "webhooks")
            for p in (root / folder).rglob("*.py") if "hours=24" in p.read_text()]
    assert hits == ["bot/channels/whatsapp.py"]
