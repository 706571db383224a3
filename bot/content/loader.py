"""Load a content pack from YAML and report every problem as file, field and reason.

Staff edit these files by hand, so a mistake must point at the exact place:
``services/konsultasi.yaml: fee.amount_idr: Input should be a valid integer``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.content.schema import Agency, Pack, Service

DEFAULTS_DIR_NAME = "_defaults"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ContentError(Exception):
    """A pack that failed validation; ``problems`` lists each one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _read_yaml(path: Path, rel: str, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(rel, "-", "file is missing"))
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(rel, "-", f"cannot be read: {exc}"))
        return None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "-"
        problems.append(Problem(rel, where, f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(rel, "-", "must be a mapping of fields (key: value)"))
        return None
    return data


def _validate(model: type[BaseModel], data: dict, rel: str, problems: list[Problem]):
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "-"
            problems.append(Problem(rel, loc, err["msg"]))
        return None


def _messages(pack_dir: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    # messages.yaml, then messages_*.yaml (e.g. officer wording), defaults first, the pack's own last.
    paths = [*sorted((pack_dir.parent / DEFAULTS_DIR_NAME).glob("messages*.yaml")), *sorted(pack_dir.glob("messages*.yaml"))]
    defined_in: dict[tuple[str, str], str] = {}
    for path in paths:
        rel = _rel(path, pack_dir)
        data = _read_yaml(path, rel, problems) or {}
        for lang, table in data.items():
            if not isinstance(table, dict):
                problems.append(Problem(rel, str(lang), "must map message keys to wording"))
                continue
            for key, value in table.items():
                if not isinstance(value, str) or not value.strip():
                    problems.append(Problem(rel, f"{lang}.{key}", "wording must be non-empty text"))
                    continue
                other = defined_in.get((str(lang), str(key)))
                if other and other.split("/")[0] == rel.split("/")[0] and other != rel:
                    problems.append(Problem(rel, f"{lang}.{key}", f"also defined in {other}; one key, one file"))
                defined_in[(str(lang), str(key))] = rel
                merged.setdefault(str(lang), {})[str(key)] = value
    if "id" not in merged:
        problems.append(Problem("messages.yaml", "id", "Bahasa Indonesia wording is required"))
    return merged


def _intents(pack_dir: Path, problems: list[Problem]) -> dict[str, dict[str, list[str]]]:
    """Merge the default word lists with the pack's own additions."""
    merged: dict[str, dict[str, list[str]]] = {}
    for path in (pack_dir.parent / DEFAULTS_DIR_NAME / "intents.yaml", pack_dir / "intents.yaml"):
        if not path.exists():
            continue
        rel = _rel(path, pack_dir)
        data = _read_yaml(path, rel, problems) or {}
        for group, table in data.items():
            if group not in ("commands", "topics") or not isinstance(table, dict):
                problems.append(Problem(rel, str(group), "expected 'commands' or 'topics' mapping names to word lists"))
                continue
            for name, words in table.items():
                if isinstance(name, bool):
                    name = "yes" if name else "no"  # an unquoted yes:/no: key reads as a boolean in YAML
                if not isinstance(words, list) or not all(isinstance(w, (str, int)) for w in words):
                    problems.append(Problem(rel, f"{group}.{name}", "must be a list of words"))
                    continue
                merged.setdefault(group, {}).setdefault(str(name), []).extend(str(w) for w in words)
    return merged


def _rel(path: Path, pack_dir: Path) -> str:
    try:
        return str(path.relative_to(pack_dir.parent))
    except ValueError:
        return str(path)


def _cross_check(agency: Agency, services: list[tuple[str, Service]], messages: dict, problems: list[Problem]) -> None:
    unit_ids = {u.id for u in agency.units}
    class_ids = {c.id for c in agency.sla_classes}
    rel_agency = "agency.yaml"
    for i, cat in enumerate(agency.complaint_categories):
        if cat.unit not in unit_ids:
            problems.append(Problem(rel_agency, f"complaint_categories.{i}.unit", f"unknown unit {cat.unit!r}"))
        if cat.sla_class not in class_ids:
            problems.append(Problem(rel_agency, f"complaint_categories.{i}.sla_class", f"unknown SLA class {cat.sla_class!r}"))
    seen: dict[str, str] = {}
    for rel, svc in services:
        if svc.id in seen:
            problems.append(Problem(rel, "id", f"duplicate service id {svc.id!r} (also in {seen[svc.id]})"))
        seen.setdefault(svc.id, rel)
        if svc.unit not in unit_ids:
            problems.append(Problem(rel, "unit", f"unknown unit {svc.unit!r}; known: {', '.join(sorted(unit_ids))}"))
        if svc.request and svc.request.sla_class and svc.request.sla_class not in class_ids:
            problems.append(Problem(rel, "request.sla_class", f"unknown SLA class {svc.request.sla_class!r}"))
    base = set(messages.get("id", {}))
    for lang, table in messages.items():
        for key in sorted(set(table) - base):
            problems.append(Problem("messages.yaml", f"{lang}.{key}", "no Bahasa Indonesia wording for this key"))


def load_pack(pack_dir: Path) -> Pack:
    """Load and cross-check one pack; raise ``ContentError`` listing every problem."""
    pack_dir = Path(pack_dir)
    problems: list[Problem] = []
    if not pack_dir.is_dir():
        raise ContentError([Problem(str(pack_dir), "-", "content pack folder does not exist")])
    name = pack_dir.name
    agency_data = _read_yaml(pack_dir / "agency.yaml", f"{name}/agency.yaml", problems)
    agency = _validate(Agency, agency_data, f"{name}/agency.yaml", problems) if agency_data is not None else None
    services: list[tuple[str, Service]] = []
    service_files = sorted((pack_dir / "services").glob("*.yaml"))
    if not service_files:
        problems.append(Problem(f"{name}/services", "-", "no service files (services/*.yaml)"))
    for path in service_files:
        rel = _rel(path, pack_dir)
        data = _read_yaml(path, rel, problems)
        if data is None:
            continue
        svc = _validate(Service, data, rel, problems)
        if svc is not None:
            services.append((rel, svc))
    messages = _messages(pack_dir, problems)
    intents = _intents(pack_dir, problems)
    if agency is not None:
        before = len(problems)
        _cross_check(agency, services, messages, problems)
        for p in problems[before:]:
            if p.file == "agency.yaml":
                object.__setattr__(p, "file", f"{name}/agency.yaml")
            elif p.file == "messages.yaml":
                object.__setattr__(p, "file", f"{name}/messages.yaml")
    if problems:
        raise ContentError(problems)
    return Pack(agency=agency, services=[s for _, s in services], messages=messages, intents=intents)


def pack_dirs(content_dir: Path) -> list[Path]:
    """The packs in ``content_dir``: itself if it is a pack, else each sub-folder with an agency.yaml."""
    content_dir = Path(content_dir)
    if (content_dir / "agency.yaml").exists():
        return [content_dir]
    return sorted(p for p in content_dir.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))


def check_content_dir(content_dir: Path) -> list[Problem]:
    """Every problem in every pack under ``content_dir`` (empty when all is well)."""
    content_dir = Path(content_dir)
    if not content_dir.is_dir():
        return [Problem(str(content_dir), "-", "folder does not exist")]
    dirs = pack_dirs(content_dir)
    if not dirs:
        return [Problem(str(content_dir), "-", "no content packs (folders with agency.yaml)")]
    problems: list[Problem] = []
    for d in dirs:
        try:
            load_pack(d)
        except ContentError as exc:
            problems.extend(exc.problems)
    return problems
