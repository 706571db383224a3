"""Officer commands, parsed: "/balas ADU-2611-0042 Terima kasih..." -> Command("reply", number, text).

Pure parsing only; ``flows/officer_commands.py`` decides (unit, role, status) and
``workers/officer_commands.py`` carries it out. Indonesian names with English aliases.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from flows.status import parse_ticket_number

ALIASES = {
    "tiket": "list", "tickets": "list", "list": "list",
    "lihat": "view", "view": "view", "detail": "view",
    "ambil": "take", "take": "take",
    "alihkan": "assign", "assign": "assign",
    "kelas": "class", "class": "class",
    "balas": "reply", "reply": "reply",
    "minta": "ask", "ask": "ask",
    "tutup": "close", "close": "close",
    "catatan": "note", "note": "note",
    "bantuan": "help", "help": "help", "start": "help",
    "ikm": "ikm", "laporan": "report", "report": "report",
}
NEEDS_NUMBER = {"view", "take", "assign", "class", "reply", "ask", "close", "note"}
NEEDS_TEXT = {"assign", "class", "reply", "ask", "close", "note"}
COMMAND = re.compile(r"^/([A-Za-z]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)


@dataclass(frozen=True)
class Command:
    name: str  # canonical: list, view, take, assign, class, reply, ask, close, note, help, ikm, report
    number: str | None = None
    text: str = ""
    problem: str | None = None  # wording key when the command is incomplete


def is_command(text: str) -> bool:
    m = COMMAND.match((text or "").strip())
    return bool(m and m.group(1).lower() in ALIASES)


def parse(text: str) -> Command | None:
    """The officer command in ``text``, or None if it is not one."""
    m = COMMAND.match((text or "").strip())
    if not m or m.group(1).lower() not in ALIASES:
        return None
    name = ALIASES[m.group(1).lower()]
    rest = (m.group(2) or "").strip()
    if name == "list":
        return Command(name, text=rest.lower())
    if name == "help":
        return Command(name)
    if name in ("ikm", "report"):  # supervisors' figures: an optional period, no ticket number
        return Command(name, text=rest)
    first, _, after = rest.partition(" ")
    number = parse_ticket_number(first) if first else None
    if number is None:
        return Command(name, problem="officer_need_number")
    after = after.strip()
    if name in NEEDS_TEXT and not after:
        return Command(name, number, problem=f"officer_need_text_{name}")
    return Command(name, number, after)


def parse_button(data: str) -> Command | None:
    """A press on a notification's button: "o:take:ADU-2611-0042"."""
    parts = (data or "").split(":", 2)
    if len(parts) != 3 or parts[0] != "o":
        return None
    action, number = parts[1], parse_ticket_number(parts[2])
    if action not in ("take", "reply", "close", "view") or number is None:
        return None
    if action in ("reply", "close"):
        return Command(action, number, problem=f"officer_need_text_{action}")
    return Command(action, number)
