"""PDF "column soup": a table's label column printed before its values.

Text taken from a two-column PDF table often lists the labels first ("1. Persyaratan",
"2. Prosedur/Mekanisme") and the values after them, so that the requirements land
under the procedure label and the requirements label stays empty. When a known section
is empty and the next one holds two lists one after the other (a lettered list, then a
numbered one starting again at 1, not introduced by a colon), the first list is given
back to the empty section.
"""
from __future__ import annotations

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


def repair(sections: list[Section]) -> list[str]:
    """Move values back under their labels (see module doc); returns warnings."""
    warnings = []
    for a, b in zip(sections, sections[1:]):
        if a.key is None or b.key is None or any(l.text for l in a.lines) or not b.lines:
            continue
        cut = _cut(b)
        if cut:
            a.lines, b.lines = b.lines[:cut], b.lines[cut:]
            warnings.append(f"'{a.heading}' and '{b.heading}': labels printed before their values; "
                            f"the first list was given to '{a.heading}'")
    return warnings
