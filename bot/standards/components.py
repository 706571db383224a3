"""The two components read with more than a list: the procedure and complaint handling.

Procedure: written steps, or the flowchart's boxes when there are none (Bangli's
table: a flowchart plus a "KETERANGAN :" list explaining its boxes; the KETERANGAN
items follow as further steps, and a warning says so). A step written as an arrow
chain ("Pemohon → Loket → Kasi → Camat") is that many steps; opening hours printed
in the procedure cell ("Senin – Kamis : Pukul 08.00 – 12.00") are not steps.

Complaints: each item is a channel, a deadline tier, a heading of the complaint
flow, or a warning.
"""
from __future__ import annotations

import re

from . import lists
from .channels import channels_in, fill_values
from .deadlines import deadlines_in
from .mermaid import traversal_labels
from .sections import DISPLAY, Section

_COMPLAINT_HEADER_RE = re.compile(
    r"(?:dapat|bisa)\s+(?:dilakukan|disampaikan|diajukan)|alur\s+penanganan|mekanisme\s+penanganan"
    r"|prosedur\s+penanganan|jangka\s+waktu\s+penyelesaian|waktu\s+penyelesaian\s+pengaduan|:$",
    re.I,
)
_ARROW_RE = re.compile(r"\s*(?:→|⇒|➔|➜|⟶|-{1,2}>|=>)\s*")
_HOURS_RE = re.compile(r"^(?:senin|selasa|rabu|kamis|jum.?at|sabtu|minggu|hari\s+kerja)\b.{0,40}?"
                       r"\d{1,2}[.:]\d{2}", re.I)
_SHORT = 160


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _SHORT else text[:_SHORT - 1] + "…"


def arrow_steps(texts: list[str]) -> list[str]:
    """Split each "A → B → C" step into its parts (two arrows or more)."""
    out = []
    for text in texts:
        parts = [p.strip(" .;") for p in _ARROW_RE.split(text)]
        if len(parts) >= 3 and all(parts):
            out.extend(parts)
        else:
            out.append(text)
    return out


def read_procedure(section: Section | None, result: dict, flow_at, warnings: list[str]) -> None:
    if section is None:
        return
    res = lists.items_from_lines(section.lines)
    for text_ in res.unsure:
        warnings.append(f"{DISPLAY['procedure']}: steps without markers kept as one step: '{_short(text_)}'")
    flows = [flow_at(i) for i in res.flows]
    flows = [f for f in flows if f]
    if flows:
        result["flow"] = flows[0]
        if len(flows) > 1:
            warnings.append(f"{DISPLAY['procedure']}: {len(flows) - 1} further flowchart(s) not used")
    hours = [i for i in res.items if _HOURS_RE.match(i.text)]
    if hours:
        warnings.append(f"{DISPLAY['procedure']}: opening hours are not steps: "
                        + "; ".join(_short(i.text) for i in hours))
    items = [i for i in res.items if i not in hours]
    steps = [i for i in items if i.label not in lists.NOTE_LABELS]
    notes = [i for i in items if i.label in lists.NOTE_LABELS]
    step_texts = lists.render(lists.build_tree(steps))
    chained = arrow_steps(step_texts)
    if len(chained) != len(step_texts):
        warnings.append(f"{DISPLAY['procedure']}: steps written as an arrow chain were split at the arrows")
        step_texts = chained
    note_texts = lists.render(lists.build_tree(notes))
    if not step_texts and result["flow"]:
        step_texts = traversal_labels(result["flow"])
        warnings.append(f"{DISPLAY['procedure']}: no written steps; steps taken from the flowchart"
                        + (", notes (KETERANGAN) added after them" if note_texts else ""))
    result["procedure"] = step_texts + note_texts
    if not result["procedure"]:
        warnings.append(f"{DISPLAY['procedure']}: no steps found")


def read_complaints(section: Section | None, result: dict, flow_at, directory: list[dict],
                warnings: list[str]) -> None:
    if section is None:
        return
    res = lists.items_from_lines(section.lines)
    flows = [f for f in (flow_at(i) for i in res.flows) if f]
    if flows:
        result["complaint_flow"] = flows[0]
        if len(flows) > 1:
            warnings.append(f"{DISPLAY['complaints']}: {len(flows) - 1} further flowchart(s) not used")
    channels: list[dict] = []
    deadlines: list[dict] = []
    mentions_flow = False
    for text_ in lists.flat_texts(res.items):
        if re.search(r"\balur\b", text_, re.I):
            mentions_flow = True
        found_deadlines = deadlines_in(text_)
        if found_deadlines:
            deadlines.extend(found_deadlines)
            continue
        found = channels_in(text_)
        if found:
            channels.extend(found)
            continue
        if _COMPLAINT_HEADER_RE.search(text_) or text_.rstrip().endswith(":"):
            continue
        warnings.append(f"{DISPLAY['complaints']}: not a channel or a deadline: '{_short(text_)}'")
    result["complaint_channels"] = fill_values(channels, directory)
    result["complaint_deadlines"] = deadlines
    if mentions_flow and result["complaint_flow"] is None:
        warnings.append(f"{DISPLAY['complaints']}: the complaint flow (Alur Penanganan Pengaduan) has no flowchart")
    if not channels:
        warnings.append(f"{DISPLAY['complaints']}: no complaint channel found")
