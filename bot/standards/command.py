"""``loket import-standard FILE [--json] [-o OUT.yaml]``.

Exit codes: 0 when the file was parsed (warnings, if any, go to stderr and do
not fail the import: they are for the person reviewing the content file);
1 when the output file cannot be written; 2 when the input is missing,
unreadable, empty, binary or not a service standard, with a one-line message
on stderr and never a traceback.
"""
from __future__ import annotations

import json
import os
from typing import TextIO

from .errors import NotAStandard
from .files import parse_file

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


def import_standard_command(path: str, as_json: bool, out: str | None, stdout: TextIO, stderr: TextIO) -> int:
    """Run the command; returns the exit code."""
    try:
        parsed = parse_file(path)
    except NotAStandard as exc:
        print(f"{PROG}: {path}: {exc.reason}", file=stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - parse_file promises NotAStandard only; belt and braces
        print(f"{PROG}: {path}: cannot be read as a service standard ({exc.__class__.__name__})", file=stderr)
        return 2
    for warning in parsed.get("warnings") or []:
        print(f"warning: {warning}", file=stderr)
    if as_json:
        stdout.write(json.dumps(parsed, ensure_ascii=False, indent=2) + "\n")
    if out:
        try:
            text = _to_yaml(parsed)
        except Exception as exc:  # noqa: BLE001 - report, do not trace back
            print(f"{PROG}: cannot build the content file: {exc}", file=stderr)
            return 1
        try:
            directory = os.path.dirname(os.path.abspath(out))
            if not os.path.isdir(directory):
                raise FileNotFoundError(f"no such directory: {directory}")
            with open(out, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            print(f"{PROG}: cannot write {out}: {exc.strerror or exc}", file=stderr)
            return 1
        if not as_json:
            print(f"wrote {out}", file=stdout)
    if not as_json and not out:
        stdout.write(summary(parsed))
    return 0
