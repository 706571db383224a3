"""``loket import-standard FILE [--json] [-o OUT.yaml] [--all [-o DIR/]] [--review]``.

Exit codes: 0 when the file was parsed (warnings, if any, go to stderr and do
not fail the import: they are for the person reviewing the content file);
1 when an output file cannot be written; 2 when the input is missing,
unreadable, empty, binary, a scanned/encrypted/broken PDF or DOCX, or not a
service standard, with a one-line message on stderr and never a traceback.

``--json`` adds ``sources: {field: [first_line, last_line]}`` (lines of the text
read from the file) to each parsed service. ``--all`` reads every service of a
multi-service document: with ``-o DIR`` one content file per service, and a table
of service, facts found and warnings. ``--review`` prints each fact beside the
source lines it came from.
"""
from __future__ import annotations

import json
import os
from typing import TextIO

from .errors import NotAStandard
from .files import parse_file_services
from .provenance import review, sources

PROG = "loket import-standard"


def _to_yaml(parsed: dict) -> str:
    """The content file: the lead's converter when present, else plain YAML."""
    try:
        from bot.content import service_yaml_from_parsed  # type: ignore[attr-defined]
    except ImportError:
        import yaml

        return yaml.safe_dump(parsed, allow_unicode=True, sort_keys=False)
    return service_yaml_from_parsed(parsed)


def summary(parsed: dict) -> str:
    """A short human summary: name, agency, what was found per field."""
    def count(key: str) -> int:
        return len(parsed.get(key) or [])

    ct = parsed.get("completion_time") or {}
    fee = parsed.get("fee") or {}
    kinds = ", ".join(c["kind"] for c in parsed.get("complaint_channels") or []) or "-"
    flow = parsed.get("flow")
    lines = [
        f"name: {parsed.get('name') or '-'}",
        f"agency: {parsed.get('agency') or '-'}",
        f"requirements: {count('requirements')}",
        f"procedure: {count('procedure')} steps" + (f" (flowchart: {len(flow['nodes'])} boxes)" if flow else ""),
        f"completion time: {ct.get('text') or '-'} (minutes: {ct.get('minutes')}, working days: {ct.get('working_days')})",
        f"fee: {fee.get('text') or '-'} (amount: {fee.get('amount_idr')})",
        f"products: {count('products')}",
        f"complaint channels: {count('complaint_channels')} ({kinds})",
        f"complaint deadlines: {count('complaint_deadlines')}",
        f"complaint flow: {'yes' if parsed.get('complaint_flow') else 'no'}",
    ]
    for key in ("legal_basis", "facilities", "competencies", "supervision", "guarantees", "safety", "evaluation"):
        lines.append(f"{key.replace('_', ' ')}: {count(key)}")
    lines.append(f"staff: {parsed.get('staff') or '-'}")
    lines.append(f"warnings: {count('warnings')}")
    return "\n".join(lines) + "\n"


_FACT_FIELDS = ("name", "requirements", "procedure", "completion_time", "fee", "products",
                "complaint_channels", "legal_basis", "agency")


def facts_found(parsed: dict) -> int:
    """How many of the main facts the parser found (of len(_FACT_FIELDS))."""
    n = 0
    for key in _FACT_FIELDS:
        value = parsed.get(key)
        if key == "completion_time":
            n += bool(value and (value.get("minutes") is not None or value.get("working_days") is not None))
        elif key == "fee":
            n += bool(value and value.get("kind") not in (None, "unclear"))
        else:
            n += bool(value)
    return n


def _write(path: str, text: str, stderr: TextIO) -> bool:
    try:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise FileNotFoundError(f"no such directory: {directory}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        print(f"{PROG}: cannot write {path}: {exc.strerror or exc}", file=stderr)
        return False
    return True


def _yaml_or_none(parsed: dict, stderr: TextIO) -> str | None:
    try:
        return _to_yaml(parsed)
    except Exception as exc:  # noqa: BLE001 - report, do not trace back
        print(f"{PROG}: cannot build the content file: {exc}", file=stderr)
        return None


def _file_names(services: list[dict]) -> list[str]:
    from bot.content.convert import slugify

    names: list[str] = []
    for parsed in services:
        base = slugify(parsed.get("name") or "layanan")[:60].strip("-") or "layanan"
        name, k = base, 2
        while name in names:
            name, k = f"{base}-{k}", k + 1
        names.append(name)
    return [n + ".yaml" for n in names]


def _table(services: list[dict], files: list[str] | None) -> str:
    rows = [("service", "facts found", "warnings") + (("file",) if files else ())]
    for i, parsed in enumerate(services):
        row = (parsed.get("name") or "-", f"{facts_found(parsed)}/{len(_FACT_FIELDS)}",
               str(len(parsed.get("warnings") or [])))
        rows.append(row + ((files[i],) if files else ()))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(widths[c]) for c, cell in enumerate(r)).rstrip() for r in rows) + "\n"


def import_standard_command(path: str, as_json: bool, out: str | None, stdout: TextIO, stderr: TextIO,
                            all_services: bool = False, show_review: bool = False) -> int:
    """Run the command; returns the exit code."""
    try:
        text, services = parse_file_services(path)
    except NotAStandard as exc:
        print(f"{PROG}: {path}: {exc.reason}", file=stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - parse_file promises NotAStandard only; belt and braces
        print(f"{PROG}: {path}: cannot be read as a service standard ({exc.__class__.__name__})", file=stderr)
        return 2
    if not all_services:
        if len(services) > 1:
            services[0]["warnings"].append(f"the document holds {len(services)} services; this is the first "
                                           f"({PROG} FILE --all reads every one)")
        services = services[:1]
    located = [sources(text, parsed) for parsed in services]
    for parsed in services:
        prefix = f"{parsed.get('name') or '-'}: " if all_services and len(services) > 1 else ""
        for warning in parsed.get("warnings") or []:
            print(f"warning: {prefix}{warning}", file=stderr)
    if show_review:
        stdout.write("\n".join(review(text, p, w) for p, w in zip(services, located)))
    if as_json:
        with_sources = [{**parsed, "sources": where} for parsed, where in zip(services, located)]
        payload = with_sources if all_services else with_sources[0]
        stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if all_services:
        files = None
        if out:
            if not os.path.isdir(out):
                try:
                    os.makedirs(out, exist_ok=True)
                except OSError as exc:
                    print(f"{PROG}: cannot create {out}: {exc.strerror or exc}", file=stderr)
                    return 1
            files = _file_names(services)
            for parsed, name in zip(services, files):
                text_yaml = _yaml_or_none(parsed, stderr)
                if text_yaml is None or not _write(os.path.join(out, name), text_yaml, stderr):
                    return 1
        if not as_json:
            stdout.write(_table(services, files))
        return 0
    parsed = services[0]
    if out:
        text_yaml = _yaml_or_none(parsed, stderr)
        if text_yaml is None or not _write(out, text_yaml, stderr):
            return 1
        if not as_json and not show_review:
            print(f"wrote {out}", file=stdout)
    if not as_json and not out and not show_review:
        stdout.write(summary(parsed))
    return 0
