"""PDF "column soup": a table's label column printed apart from its values.

Text taken from a two-column PDF table often lists the labels first ("1. Persyaratan",
"2. Prosedur/Mekanisme") and the values after them, so that the requirements land
under the procedure label and the requirements label stays empty. When a known section
is empty and the next one holds two lists one after the other (a lettered list, then a
numbered one starting again at 1, not introduced by a colon), the first list is given
back to the empty section.

A label printed in the middle or at the end of a tall cell does the opposite: the
section before it ends with a second list that starts again at 1 (the next component's
steps), and the labelled section starts with nothing but a note label ("Prosedur
Keterangan:"). That second list is given to the labelled section; and list items at the
start of a section that continue the numbering of the list before the label ("4. Jangka
waktu penyelesaian" printed between steps 1 and 2) go back to that list.
"""
from __future__ import annotations

import re

from .lists import leading_marker
from .sections import Section


def _cut(section: Section) -> int | None:
    first_kind = None
    seen: set = set()
    prev_text = ""
    for i, line in enumerate(section.lines):
        lead = leading_marker(line.text) if line.flow is None else None
        if lead is not None:
            kind, ordinal, _ = lead
            if first_kind is None:
                first_kind = kind
            elif kind != first_kind and kind not in seen and ordinal == 1 and kind[1] == "." \
                    and not prev_text.rstrip().endswith(":"):
                return i
            seen.add(kind)
        prev_text = line.text or prev_text
    return None


def _restart(section: Section) -> int | None:
    """Index of a second list starting again at 1 with the first list's kind (not a sub-list)."""
    first_kind = None
    count = 0
    prev_text = ""
    for i, line in enumerate(section.lines):
        lead = leading_marker(line.text) if line.flow is None else None
        if lead is not None:
            kind, ordinal, _ = lead
            if first_kind is None:
                first_kind = kind
            elif kind == first_kind and ordinal == 1 and count >= 2 and not prev_text.rstrip().endswith(":"):
                return i
            if kind == first_kind:  # "1. Rujukan 2. KTP" run together counts as two
                count += max(1, len(re.findall(r"(?:^|\s)\d{1,2}[.)]\s", line.text))) if kind[0] == "num" else 1
        prev_text = line.text or prev_text
    return None


def _opens_with_label_only(section: Section) -> bool:
    """Is the section empty, or does it open with a note label ("Keterangan:") rather than values?"""
    for line in section.lines:
        if line.text:
            return not leading_marker(line.text) and line.text.rstrip().endswith(":")
    return True


def _last_marker(section: Section):
    kind0 = last = None
    for line in section.lines:
        lead = leading_marker(line.text) if line.flow is None else None
        if lead is None:
            continue
        if kind0 is None:
            kind0 = lead[0]
        if lead[0] == kind0:
            last = lead[1]
    return (kind0, last) if kind0 is not None else None


def _continuing(section: Section, kind, last: int) -> int:
    """How many leading lines of ``section`` continue a list of ``kind`` that stopped at ``last``."""
    n = 0
    for i, line in enumerate(section.lines):
        lead = leading_marker(line.text) if line.flow is None else None
        if lead is not None:
            if lead[0] != kind or lead[1] != last + 1:
                break
            last = lead[1]
        elif i == 0:
            break
        n = i + 1
    return n


def repair(sections: list[Section]) -> list[str]:
    """Move values back under their labels (see module doc); returns warnings."""
    warnings = []
    for a, b in zip(sections, sections[1:]):
        if a.key in (None, "_other", "complaints") or b.key in (None, "_other") or not a.lines:
            continue
        cut = _restart(a)
        if cut and _opens_with_label_only(b):
            b.lines, a.lines = a.lines[cut:] + b.lines, a.lines[:cut]
            warnings.append(f"'{a.heading}' and '{b.heading}': a list printed before the label "
                            f"'{b.heading}' was given to it")
    for a, b in zip(sections, sections[1:]):
        if a.key in (None, "_other") or b.key in (None, "_other") or not a.lines or not b.lines:
            continue
        tail = _last_marker(a)
        n = _continuing(b, *tail) if tail and tail[0][0] != "bullet" else 0
        if n:
            a.lines, b.lines = a.lines + b.lines[:n], b.lines[n:]
            warnings.append(f"'{b.heading}' was printed between the items of '{a.heading}'; "
                            f"{n} line(s) after it went back to '{a.heading}'")
    for a, b in zip(sections, sections[1:]):
        if a.key is None or b.key is None or any(l.text for l in a.lines) or not b.lines:
            continue
        cut = _cut(b)
        if cut:
            a.lines, b.lines = b.lines[:cut], b.lines[cut:]
            warnings.append(f"'{a.heading}' and '{b.heading}': labels printed before their values; "
                            f"the first list was given to '{a.heading}'")
    return warnings
