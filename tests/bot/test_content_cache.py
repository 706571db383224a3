"""The content pack is read once per process; its files' times are looked at once a second at most."""
from __future__ import annotations

import os
import shutil

from bot.content import cache as content_cache
from bot.settings import PROJECT_ROOT


def _copy(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    return content / "buleleng-kesra"


def test_many_asks_within_a_second_look_at_the_files_once(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    looks = []
    real = content_cache._stamp
    monkeypatch.setattr(content_cache, "_stamp", lambda d: looks.append(d) or real(d))
    monkeypatch.setattr(content_cache, "RECHECK_SECONDS", 3600)
    first = content_cache.pack_at(folder)
    assert all(content_cache.pack_at(folder) is first for _ in range(20))
    assert looks == [folder]


def test_an_edit_is_picked_up_once_the_folder_is_looked_at_again(tmp_path, monkeypatch):
    folder = _copy(tmp_path)
    monkeypatch.setattr(content_cache, "RECHECK_SECONDS", 0)
    first = content_cache.pack_at(folder)
    assert content_cache.pack_at(folder) is first  # nothing changed: the same pack
    agency = folder / "agency.yaml"
    agency.write_text(agency.read_text().replace(first.agency.short_name, "Kesra Baru", 1))
    stamp = max(p.stat().st_mtime for p in folder.iterdir())
    os.utime(agency, (stamp + 5, stamp + 5))
    assert content_cache.pack_at(folder).agency.short_name == "Kesra Baru"
