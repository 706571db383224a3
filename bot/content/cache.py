"""The loaded content pack, read once per process and reloaded when its files change."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from bot.content import Pack, load_pack
from bot.settings import Settings

_lock = threading.Lock()
_cache: dict[Path, tuple[float, Pack]] = {}
_checked: dict[Path, float] = {}  # when each folder's files were last looked at (monotonic)
RECHECK_SECONDS = 1.0


def _stamp(pack_dir: Path) -> float:
    latest = 0.0
    for folder in (pack_dir, pack_dir / "services", pack_dir.parent / "_defaults"):
        if folder.is_dir():
            for entry in os.scandir(folder):
                latest = max(latest, entry.stat().st_mtime)
    return latest


def current_pack(settings: Settings) -> Pack:
    """The pack ``settings`` names; a staff edit is picked up without a restart."""
    return pack_at(settings.pack_dir)


def pack_at(pack_dir: Path) -> Pack:
    """The pack in ``pack_dir``, loaded once and again only when one of its files changes.

    The files' times are looked at no more than once every ``RECHECK_SECONDS`` per folder: a turn asks
    for its pack several times, and each look lists three folders and stats every file in them.
    """
    now = time.monotonic()
    with _lock:
        cached = _cache.get(pack_dir)
        if cached and now - _checked.get(pack_dir, -RECHECK_SECONDS) < RECHECK_SECONDS:
            return cached[1]
    stamp = _stamp(pack_dir)
    with _lock:
        cached = _cache.get(pack_dir)
        _checked[pack_dir] = now
        if cached and cached[0] == stamp:
            return cached[1]
        pack = load_pack(pack_dir)
        _cache[pack_dir] = (stamp, pack)
        return pack
