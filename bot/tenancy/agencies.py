"""The agencies a deployment serves: the ``AGENCIES`` setting resolved against the pack folders."""
from __future__ import annotations

from pathlib import Path

from bot.content import ContentError, Pack, Problem
from bot.content.loader import pack_dirs
from bot.settings import Settings


def agency_ids(settings: Settings) -> list[str]:
    """The pack ids served, in the order the setting gives them (``all``: every pack folder, sorted).

    A ``CONTENT_DIR`` that is itself one pack serves that pack alone, whatever ``AGENCIES`` says, so an
    agency that keeps its own folder needs no second setting.
    """
    if (settings.content_dir / "agency.yaml").exists():
        return [settings.content_dir.name]
    raw = (settings.agencies or settings.content_pack).strip()
    if raw.lower() == "all":
        return [d.name for d in pack_dirs(settings.content_dir) if (d / "agency.yaml").exists()]
    ids: list[str] = []
    for part in raw.split(","):
        part = part.strip()
        if part and part not in ids:
            ids.append(part)
    return ids


def default_agency(settings: Settings) -> str:
    """The agency of whatever names none: the first served (a one-agency deployment's only one)."""
    ids = agency_ids(settings)
    return ids[0] if ids else settings.content_pack


def _folder(settings: Settings, agency_id: str) -> Path:
    if (settings.content_dir / "agency.yaml").exists():
        return settings.content_dir
    return settings.content_dir / agency_id


def load_agencies(settings: Settings) -> dict[str, Pack]:
    """Every served agency's pack by id; raise ``ContentError`` naming each missing or broken pack."""
    from bot.content.cache import pack_at
    packs: dict[str, Pack] = {}
    problems: list[Problem] = []
    for agency_id in agency_ids(settings):
        folder = _folder(settings, agency_id)
        if not (folder / "agency.yaml").exists():
            problems.append(Problem("AGENCIES", agency_id, f"no content pack folder {folder}"))
            continue
        try:
            packs[agency_id] = pack_at(folder)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    return packs
