"""The demo deployment: the shipped packs served as a regency would, described in ``CONTENT_DIR/_demo/``.

``_demo/demo.yaml`` names the agencies, each unit's Telegram group and the officers; ``_demo/channels.yaml``
the numbers and bots. ``loket demo`` lays out a content folder of its own from them (links to the packs,
and a copy of each ``agency.yaml`` whose units get their group) and registers the officers with the same
storage function as ``loket officers add``. Nothing is a special case elsewhere: what runs is a content
folder, a ``channels.yaml`` and officers, as in any deployment.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from bot.store.officers import add_officer, find_officer_by_telegram
from bot.tenancy.channels import FILE_NAME as CHANNELS_FILE

FOLDER = "_demo"


class DemoOfficer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    role: str
    agency: str
    units: tuple[str, ...]
    telegram: int


class DemoDeployment(BaseModel):
    """What the demo serves: agencies (pack ids), the Telegram group of each agency's units, officers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    agencies: tuple[str, ...] = Field(min_length=1)
    unit_groups: dict[str, dict[str, int]] = {}
    officers: tuple[DemoOfficer, ...] = ()


def load_demo(content_dir: Path) -> DemoDeployment | None:
    """The demo deployment described beside the packs; None when ``content_dir`` has no ``_demo/``."""
    path = Path(content_dir) / FOLDER / "demo.yaml"
    if not path.exists():
        return None
    return DemoDeployment.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def lay_out(demo: DemoDeployment, content_dir: Path, target: Path) -> Path:
    """Fill the empty folder ``target`` as the demo's ``CONTENT_DIR``; return it.

    Packs are linked, so an edit in ``content_dir`` reaches the running demo; a pack whose units get a
    group is a folder of links with its own ``agency.yaml``.
    """
    content_dir, target = Path(content_dir).resolve(), Path(target)
    os.symlink(content_dir / "_defaults", target / "_defaults")
    for agency in demo.agencies:
        source, groups = content_dir / agency, demo.unit_groups.get(agency)
        if not groups:
            os.symlink(source, target / agency)
            continue
        (target / agency).mkdir()
        for entry in source.iterdir():
            if entry.name != "agency.yaml":
                os.symlink(entry, target / agency / entry.name)
        data = yaml.safe_load((source / "agency.yaml").read_text(encoding="utf-8"))
        for unit in data.get("units") or []:
            if unit.get("id") in groups:
                unit["telegram_chat_id"] = groups[unit["id"]]
        (target / agency / "agency.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                     encoding="utf-8")
    shutil.copyfile(content_dir / FOLDER / CHANNELS_FILE, target / CHANNELS_FILE)
    return target


def register_officers(session: Session, demo: DemoDeployment) -> int:
    """Add the demo's officers who are not registered yet (a second run finds them); how many were added."""
    added = 0
    for officer in demo.officers:
        if find_officer_by_telegram(session, officer.telegram) is None:
            add_officer(session, name=officer.name, role=officer.role, units=officer.units,
                        telegram_user_id=officer.telegram, agency_id=officer.agency)
            added += 1
    return added
