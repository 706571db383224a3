"""Report PDFs rendered for a supervisor's /laporan, kept where the chat platforms can fetch them.

Telegram gets the bytes; Twilio fetches a signed, expiring link
(``bot.ops.links.report_link``) served by ``webhooks/media.py`` from here.
"""
from __future__ import annotations

import re
from pathlib import Path

#: "<agency>-<period>.pdf" as ``loket report`` names it: a month (2026-11) or a semester (2026-2).
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*-\d{4}-(?:0[1-9]|1[0-2]|[12])\.pdf$")


def report_path(media_dir: Path, name: str) -> Path:
    """Where the report file ``name`` is kept; ValueError for a name that is not a report's."""
    if not NAME.match(name or ""):
        raise ValueError(f"not a report file name: {name!r}")
    return Path(media_dir) / "reports" / name


def store_report(media_dir: Path, name: str, data: bytes) -> Path:
    """Keep the rendered report (replacing an older rendering of the same period)."""
    path = report_path(media_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
