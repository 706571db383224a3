"""The loaded content pack, read once per process and reloaded when its files change."""
from __future__ import annotations

import os
import threading
from pathlib import Path

from bot.content import Pack, load_pack
from bot.settings import Settings

_lock = threading.Lock()
_cache: dict[Path, tuple[float, Pack]] = {}


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
    """The pack in ``pack_dir``, loaded once and again only when one of its files changes."""
    stamp = _stamp(pack_dir)
    with _lock:
        cached = _cache.get(pack_dir)
        if cached and cached[0] == stamp:
            return cached[1]
        pack = load_pack(pack_dir)
        _cache[pack_dir] = (stamp, pack)
        return pack
