"""Find the sections of a service standard by the meaning of their headings.

Headings come numbered or not, bold, as Markdown "#", as a table's component
cell, in capitals, with "/" or "dan/atau", with small typos, and in plain-text
documents followed on the same line by their content ("1.\tPersyaratan a. ...").
A heading is recognised by :func:`bot.standards.lexicon.match_heading`.

To keep list items from being mistaken for headings, a line is only tried as a
heading when its position says it may be one: a table component cell, a
Markdown/bold/<h> line, a line numbered "1." / "A." / "I.", a line that is
nothing but the heading, or "Heading : content". Everything between two
headings belongs to the first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import DISPLAY, HEADINGS, OTHER, HeadingMatch, match_heading  # noqa: F401 - re-exported
from .markup import Line

_NUMBERED_RE = re.compile(r"^\(?(?:(?P<num>\d{1,2})|(?P<roman>[IVX]{1,4})|(?P<upper>[A-Z]))[.)]\s*(?P<rest>.*)$", re.S)
_LEADING_BULLET_RE = re.compile(r"^(?:[-•*▪●◦]\s+)?(?:\(?[a-z][.)]\s+)?")
_PART_RE = re.compile(r"service delivery|manufacturing|penyampaian pelayanan|pengelolaan pelayanan"
                      r"|^komponen\b|^standar pelayanan$|^bagian [ivx]+$|^no komponen uraian$")


_SENTENCE_WORDS = {"yang", "untuk", "dan", "di", "ke", "dari", "ini", "tersebut", "harus", "adalah", "dapat",
                   "akan", "kepada", "pada", "dengan", "merupakan", "menjadi", "sebagai", "bagi", "atas"}
_TITLE_STOP = {"no", "no.", "komponen", "uraian", "penyampaian layanan", "penyampaian pelayanan"}


def leading_is_marker(text: str) -> bool:
    """Does ``text`` start with a list marker ("1.", "a)", "-", "•")?"""
    return bool(re.match(r"^(?:[-•*▪●◦]\s|\(?[a-zA-Z0-9]{1,2}[.)]\s)", text))


@dataclass
class Section:
    """A section of the document: its heading as written and its lines."""

    key: str | None  # None: a heading the parser does not know
    heading: str
    lines: list[Line] = field(default_factory=list)
    first: int = 0  # index of the heading among the document's lines


@dataclass
class Document:
    """The document cut into sections, with what lies outside them."""

    title: str | None
    sections: list[Section]
    outside: list[str]  # text found outside any section (after the title)
    outside_flows: list[int]
    warnings: list[str]


def _introduces(rest: str) -> bool:
    """"… standar pelayanan pendaftaran adalah sebagai berikut :": words that only announce a list."""
    return rest.rstrip().endswith(":") and bool(re.search(r"\b(berikut|antara lain|meliputi)\b", rest, re.I)) \
        and _word_count(rest) <= 12


def _rest(text: str, end: int) -> str:
    tail = _LABEL_TAIL_RE.match(text[end:])
    if tail:  # "Dasar Hukum*): …", "Besarnya Biaya retribusi : GRATIS"
        return text[end + tail.end():].strip()
    return re.sub(r"^[\s:;,.)\]\-–—]+", "", text[end:]).strip()


def is_part_header(text: str) -> bool:
    """"Service Delivery", "Manufacturing", "Komponen ..." : groupings, not sections."""
    norm = re.sub(r"[^a-z ]+", " ", _LEADING_BULLET_RE.sub("", text).lower())
    norm = re.sub(r"\s+", " ", norm).strip()
    return bool(norm) and bool(_PART_RE.search(norm))


def _word_count(s: str) -> int:
    return len(s.split())


_SEPARATOR_RE = re.compile(r"\s*(?:\*+\)?|\(\*\))?\s*[:：]|\s+[a-z/]+\s*[:：]\s")
_LABEL_TAIL_RE = re.compile(r"^\s*(?:\*+\)?|\(\*\))?\s*[:：]\s*|^\s+[a-z/]+\s*[:：]\s+")
_OPEN_TITLE_RE = re.compile(r"^(?:standar pelayanan(?: publik)?|sp)$", re.I)
_SUBTITLE_RE = re.compile(r"^standar\s+pelayanan\b", re.I)


_BARE_NUMBER_RE = re.compile(r"^(?P<num>\d{1,2})\s+(?P<rest>[A-Z].*)$", re.S)


def _bare_number(text: str) -> re.Match[str] | None:
    """"2 Persyaratan Pelayanan 1. …": a component number whose dot a PDF table lost."""
    m = _BARE_NUMBER_RE.match(text)
    if m is None:
        return None
    heading = match_heading(m.group("rest"))
    return m if heading is not None and heading.exact else None


def label_value_layout(lines: list[Line]) -> bool:
    """Do at least three unnumbered lines read "Heading value" with no separator (a flattened two-column table)?"""
    if any(line.table_heading for line in lines):
        return False
    keys = set()
    for line in lines:
        text = line.text
        if _NUMBERED_RE.match(text) or line.li:
            continue
        if leading_is_marker(text):
            continue
        m = match_heading(text)
        if m is None or not m.exact:
            continue
        rest = _rest(text, m.end)
        if rest and not _SEPARATOR_RE.match(text[m.end:]) and rest.split()[0].lower() not in _SENTENCE_WORDS:
            keys.add(m.key)
    return len(keys) >= 4


def split_sections(lines: list[Line]) -> Document:
    """Group lines under the headings they follow."""
    inline_values = label_value_layout(lines)
    sections: list[Section] = []
    by_key: dict[str, Section] = {}
    current: Section | None = None
    title: str | None = None
    outside: list[str] = []
    outside_flows: list[int] = []
    warnings: list[str] = []
    last_number = 0

    index = 0
    title_open = False

    def start(key: str | None, heading: str) -> None:
        nonlocal current
        if key is not None and key in by_key:
            if current is not by_key[key]:
                warnings.append(f"section '{heading}' appears more than once; its parts were merged")
            current = by_key[key]
            return
        current = Section(key, heading, first=index)
        sections.append(current)
        if key is not None and key != OTHER:
            by_key[key] = current

    for index, line in enumerate(lines):
        if line.flow is not None:
            if current is not None:
                current.lines.append(line)
            else:
                outside_flows.append(line.flow)
            continue
        text = line.text
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        alone = line.gap_before and (nxt is None or nxt.gap_before or leading_is_marker(nxt.text))
        numbered = _NUMBERED_RE.match(text) or _bare_number(text)
        body = numbered.group("rest") if numbered else text
        number = int(numbered.group("num")) if numbered and numbered.group("num") else None
        m = match_heading(body)
        current_key = current.key if current is not None else None

        if line.table_heading:
            if m is not None:
                start(m.key, body)
                last_number = number or last_number
            elif is_part_header(body):
                current = None
            else:
                start(None, body)
            continue

        if line.heading_hint:
            if m is not None:
                rest = _rest(body, m.end)
                if m.key == current_key and rest and _word_count(rest) > 4:
                    current.lines.append(line)  # type: ignore[union-attr]
                    continue
                start(m.key, body if _word_count(rest) <= 4 else body[:m.end].strip())
                if rest and _word_count(rest) > 4:
                    current.lines.append(Line(rest))  # type: ignore[union-attr]
                last_number = number or last_number
                continue
            if is_part_header(body):
                current = None
                continue
            if title is None and not sections:
                title = body
                continue
            label = text.rstrip().endswith(":") or re.match(r"^\(?[a-z][.)]\s", text)
            if current is not None and (label or (not numbered and not current.lines)):
                current.lines.append(line)  # a bold label or first line inside a section
                continue
            start(None, body)
            continue

        if m is not None:
            rest = _rest(body, m.end)
            strong = m.exact and m.words >= 2
            if numbered and numbered.group("num"):
                ok = not rest or (m.key != current_key and (strong or number == last_number + 1 or number == 1
                                                             or (m.exact and leading_is_marker(rest))))
            elif numbered:  # "A." / "IV." numbering: only a bare heading
                ok = not rest
            else:  # unnumbered: the whole line, "Heading : content", or a heading line of its own
                ok = (not rest and (m.exact or m.words >= 2)) or bool(_SEPARATOR_RE.match(body[m.end:])) or (inline_values and m.exact) or (
                    m.words >= 2 and _introduces(rest)) or (
                    alone and m.exact and _word_count(rest) <= 3 and not re.search(r"[.;,]$", rest)
                    and (current is None or bool(current.lines)))
            if ok and m.key == current_key and rest:
                ok = False
            if ok:
                if m.key == current_key and current is not None:
                    continue  # the heading repeated as a label ("Prosedur Pelayanan :")
                if alone and rest and not numbered and not _SEPARATOR_RE.match(body[m.end:]) and not inline_values:
                    rest = ""  # "Persyaratan Pembuatan SKTM": the whole line is the heading
                start(m.key, body[:m.end].strip())
                if number is not None:
                    last_number = number
                if rest and ((_word_count(rest) <= 4 and rest.endswith(":")
                              and rest.rstrip(" :").lower() not in ("keterangan", "catatan", "ket")) or _introduces(rest)):
                    rest = ""  # "Prosedur sebagai berikut :" introduces what follows ("Keterangan:" stays a label)
                if rest:
                    current.lines.append(Line(rest, list_start=line.list_start))  # type: ignore[union-attr]
                continue

        if title is None and not sections and _OPEN_TITLE_RE.match(text.strip()):
            title = text  # "STANDAR PELAYANAN" starting a title printed over several lines
            title_open = True
            continue
        if not line.li and _word_count(text) <= 8 and is_part_header(text):
            current = None
            continue
        if current is not None and sections and alone and _word_count(text) <= 6 and _SUBTITLE_RE.match(text):
            current = None  # "Standar Pelayanan SKTM": a sub-title, not content of the section before
            outside.append(text)
            continue
        if current is not None:
            current.lines.append(line)
        elif title is None and not sections:
            title = text
        elif not sections and not outside and title is not None and text.upper() == text \
                and text.lower() not in _TITLE_STOP and (
                    (title_open and _word_count(text) <= 20)
                    or (title.upper() == title and not line.gap_before and _word_count(text) <= 5)):
            title = f"{title} {text}"  # "STANDAR PELAYANAN" / "LABORATORIUM …" / "(PEMERIKSAAN …)"
        else:
            outside.append(text)
    return Document(title, sections, outside, outside_flows, warnings)
