"""Documents holding several services: a decree's annex, a web page with one table per service.

A new service starts at a title line ("STANDAR PELAYANAN KTP", "I. JENIS
PELAYANAN : PENERBITAN KARTU KELUARGA BARU", "Jenis Pelayanan : …") when the
stretch from there to the next such line holds component headings of its own.
Title lines with no components after them (a page title, a list of the agency's
services before the first standard) are a preamble: their text goes to the
first service's outside text, where the agency is looked for, and not to its
name. A document with no such stretch is one service.
"""
from __future__ import annotations

import re

from .markup import Line
from .sections import _NUMBERED_RE, OTHER, _bare_number, match_heading

_START_RE = re.compile(
    r"^(?:(?:[A-Z]|[IVX]{1,4}|\d{1,2})[.)]\s*)?(?:standar\s+pelayanan\b|standart\s+pelayanan\b"
    r"|jenis\s+(?:pelayanan|perizinan|layanan)\b)",
    re.I,
)


_OPEN_RE = re.compile(r"^(?:standar|standart)\s+pelayanan(?:\s+publik)?$", re.I)
_SMALL = {"dan", "atau", "di", "ke", "dari", "untuk", "yang", "pada", "dengan", "serta", "bagi", "oleh"}


def _title_like(text: str) -> bool:
    """A title line: short, and its words capitalised (not "Standar Pelayanan menjadi salah satu …")."""
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if w.lower() not in _SMALL]
    if not words or len(text) > 200 or len(words) > 16:
        return False
    return words[0][0].isupper() and sum(1 for w in words if w[0].isupper()) >= 0.7 * len(words)


def _heading_key(line: Line) -> str | None:
    """The component a line is the heading of, if it reads as one."""
    numbered = _NUMBERED_RE.match(line.text) or _bare_number(line.text)
    body = numbered.group("rest") if numbered else line.text
    m = match_heading(body)
    if m is None or m.key == OTHER:
        return None
    if line.table_heading or line.heading_hint or len(body.split()) <= 8 or bool(numbered):
        return m.key
    return None


def _is_heading_line(line: Line) -> bool:
    return _heading_key(line) is not None


def _caps_titles(lines: list[Line]) -> list[int]:
    """Upper-case title lines straight above a service's first component ("PENCATATAN BIODATA WNI DALAM
    WILAYAH NKRI" over "Persyaratan Pelayanan"): a page of one table per service names each so. Counted only
    when there are two or more, so a single standard's own title is left to the usual reading."""
    found = []
    for i, line in enumerate(lines[:-1]):
        text = line.text.strip()
        nxt = next((l for l in lines[i + 1:i + 3] if l.text.strip()), None)
        if (nxt is not None and text.isupper() and _title_like(text) and _heading_key(line) is None
                and _heading_key(nxt) == "requirements" and len(text.split()) >= 2):
            found.append(i)
    return found if len(found) >= 2 else []


def split_services(lines: list[Line]) -> tuple[list[list[Line]], list[str]]:
    """The document's services (as line lists) and the preamble texts before the first."""
    starts = [i for i, l in enumerate(lines) if l.flow is None and _START_RE.match(l.text) and _title_like(l.text)]
    if not starts:
        starts = _caps_titles(lines)
    if not starts:
        return [lines], []
    bounds = starts + [len(lines)]
    chunks = [(a, b) for a, b in zip(bounds, bounds[1:])]
    keys_in = [len({_heading_key(l) for l in lines[a:b]} - {None}) for a, b in chunks]
    with_parts = [c for c, n in zip(chunks, keys_in) if n >= 2]
    if not with_parts:
        return [lines], []
    services: list[list[Line]] = []
    first_start = with_parts[0][0]
    for idx, (a, b) in enumerate(with_parts):
        end = with_parts[idx + 1][0] if idx + 1 < len(with_parts) else len(lines)
        services.append(lines[a:end])
    head = lines[:first_start]
    if len(services) == 1 and _OPEN_RE.match(lines[first_start].text.strip()):
        return [lines], []  # one service under a bare "STANDAR PELAYANAN": its title is the page's
    if services and any(_is_heading_line(l) for l in head):
        services[0] = head + services[0]  # components before the first title belong to the first service
        return services, []
    return services, [l.text for l in head if l.text]
