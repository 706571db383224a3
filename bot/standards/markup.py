"""Turn a service-standard document (HTML fragments, Markdown, Markdown or HTML
tables, plain text) into a list of clean logical lines.

Every format is reduced to the same thing: one :class:`Line` per paragraph,
list item or table cell, with the markup removed and a few hints kept that the
section finder and the list splitter need (was it a heading, a table's
component cell, an ``<li>``, the start of a marker-less ``<ol>``, a flowchart?).
Doing this once, first, is what lets the rest of the parser ignore formats.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .mermaid import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, PLACEHOLDER_RE, extract_flows

# Sentinels put in front of a line during block conversion (private-use area;
# the sanitiser removes any such characters that a document brings along).
TABLE_HEAD = "\ue002"
LIST_START = "\ue003"
LI = "\ue004"
_SENTINELS = TABLE_HEAD + LIST_START + LI


@dataclass
class Line:
    """One logical line of the document, markup removed."""

    text: str
    heading_hint: bool = False  # Markdown "#", <h1>.., whole-line bold, setext
    table_heading: bool = False  # the component cell of a table row
    li: bool = False  # opened by an HTML <li>
    list_start: bool = False  # first text of an <ol>/<ul> that has no <li>
    gap_before: bool = False  # a paragraph break precedes it
    flow: int | None = None  # index of a flowchart when the line is one


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ue000-\ue00f]")
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|div|ol|ul|li|pre|table|thead|tbody|tfoot|tr|td|th|blockquote|section|article"
    r"|dl|dt|dd|hr|center|header|footer|main|body|html|head|title|caption)\b[^>]*>",
    re.I,
)
_LIST_OPEN_RE = re.compile(r"<(?:ol|ul)\b[^>]*>(?!\s*<li\b)", re.I)
_LI_OPEN_RE = re.compile(r"<li\b[^>]*>", re.I)
_HEADING_OPEN_RE = re.compile(r"<h[1-6]\b[^>]*>", re.I)
_HEADING_CLOSE_RE = re.compile(r"</h[1-6]\s*>", re.I)
_BR_RE = re.compile(r"<br\s*/?>", re.I)
_TR_RE = re.compile(r"<tr\b[^>]*>(.*?)(?:</tr\s*>|(?=<tr\b)|</table\s*>|\Z)", re.I | re.S)
_TD_RE = re.compile(r"<t[dh]\b[^>]*>(.*?)(?:</t[dh]\s*>|(?=<t[dh]\b)|\Z)", re.I | re.S)
_TAG_RE = re.compile(r"</?[A-Za-z!][^<>]*>")
_SPACE_RE = re.compile(r"[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_NUMBER_ONLY_RE = re.compile(r"^(?:\d{1,2}|[IVXivx]{1,4}|[A-Za-z])[.)]$")
_SETEXT_RE = re.compile(r"^\s*(?:={3,}|-{3,}|\*{3,}|_{3,})\s*$")
_BOLD_RE = re.compile(r"<(b|strong)\b[^>]*>.*?</\1\s*>|\*\*.+?\*\*|__.+?__", re.I | re.S)
_TABLE_SEPARATOR_RE = re.compile(r"^:?-*:?$")
_TABLE_HEADER_WORDS = {"", "no", "no.", "nomor", "komponen", "uraian", "keterangan", "isi",
                       "komponen standar pelayanan", "standar", "deskripsi", "penjelasan"}
_CELL_NUMBER_RE = re.compile(r"^\(?(?:\d{1,2}|[IVXivx]{1,4}|[A-Za-z])?[.)]?\)?$")


def sanitize(text: str) -> str:
    """Normalise line ends, drop control and private-use characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _CONTROL_RE.sub(" ", text)


def clean_inline(s: str) -> str:
    """Remove inline HTML and Markdown, decode entities, collapse spaces."""
    s = re.sub(r"<((?:https?|mailto):[^>\s]+)>", lambda m: m.group(1).removeprefix("mailto:"), s)
    s = _TAG_RE.sub(" ", s)
    s = html.unescape(s)
    s = re.sub(r"!\[([^\]\n]*)\]\([^)\n]*\)", r"\1", s)
    s = re.sub(r"\[([^\]\n]*)\]\([^)\n]*\)", r"\1", s)
    s = re.sub(r"\*\*(.+?)\*\*", r"\1", s)
    s = re.sub(r"(?<!\w)__(.+?)__(?!\w)", r"\1", s)
    s = re.sub(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])", r"\1", s)
    s = re.sub(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])", r"\1", s)
    s = re.sub(r"~~(.+?)~~", r"\1", s)
    s = re.sub(r"`([^`\n]*)`", r"\1", s)
    s = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", s)
    return _SPACE_RE.sub(" ", s).strip()


def _html_tables_to_pipes(text: str) -> str:
    """Rewrite HTML table rows as Markdown pipe rows so one table reader serves both."""
    if not re.search(r"<tr\b", text, re.I):
        return text

    def row(m: re.Match[str]) -> str:
        cells = [re.sub(r"\s*\n\s*", " ", c).replace("|", "/") for c in _TD_RE.findall(m.group(1))]
        if not cells:
            return "\n"
        return "\n|" + "|".join(cells) + "|\n"

    return _TR_RE.sub(row, text)


def _is_table_row(line: str) -> bool:
    s = line.strip()
    return s.startswith("|") and s.count("|") >= 3


def _cells(line: str) -> list[str]:
    s = line.strip()
    s = s[1:] if s.startswith("|") else s
    s = s[:-1] if s.endswith("|") else s
    return [c.strip() for c in re.split(r"(?<!\\)\|", s)]


def _pipe_tables(text: str) -> str:
    """Turn each ``| n | KOMPONEN | URAIAN |`` row into a heading line and its content.

    The component cell is marked with :data:`TABLE_HEAD` so it is always read
    as a section heading (known or not); header and separator rows go.
    """
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        if not _is_table_row(line):
            out.append(line)
            continue
        cells = _cells(line)
        if all(_TABLE_SEPARATOR_RE.match(c.replace(" ", "")) for c in cells):
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        is_header = _is_table_row(nxt) and all(
            _TABLE_SEPARATOR_RE.match(c.replace(" ", "")) for c in _cells(nxt))
        if is_header or all(c.lower().strip("*: ") in _TABLE_HEADER_WORDS for c in cells):
            continue
        filled = [j for j, c in enumerate(cells) if c and not _CELL_NUMBER_RE.match(c)]
        if not filled:
            continue
        first = filled[0]
        if len(cells) >= 3 and first == len(cells) - 1 and first > 1:
            # | | | more text | : continuation of the previous row's content
            out.append("\n\n" + cells[first] + "\n\n")
            continue
        heading = cells[first]
        content = "\n\n".join(c for c in cells[first + 1:] if c)
        out.append(f"\n\n{TABLE_HEAD}{heading}\n\n{content}\n\n")
    return "\n".join(out)


def _blocks_to_newlines(text: str) -> str:
    """Replace block-level tags by paragraph breaks, keeping hints as sentinels."""
    text = _LIST_OPEN_RE.sub("\n\n" + LIST_START, text)
    text = _LI_OPEN_RE.sub("\n\n" + LI, text)
    text = _HEADING_OPEN_RE.sub("\n\n# ", text)
    text = _HEADING_CLOSE_RE.sub("\n\n", text)
    text = _BLOCK_TAG_RE.sub("\n\n", text)
    text = _BR_RE.sub("\n", text)
    return PLACEHOLDER_RE.sub(lambda m: "\n\n" + m.group(0) + "\n\n", text)


def _whole_line_bold(raw: str) -> bool:
    if not ("</" in raw or "**" in raw or "__" in raw) or not _BOLD_RE.search(raw):
        return False
    rest = _TAG_RE.sub("", _BOLD_RE.sub("", raw))
    return re.fullmatch(r"[\s\d.):\-#]*", rest) is not None


def to_lines(text: str) -> tuple[list[Line], list[dict | None]]:
    """Split a document into clean :class:`Line` objects and its flowcharts."""
    text = sanitize(text)
    text = _html_tables_to_pipes(text)
    text, flows = extract_flows(text)
    text = _pipe_tables(text)
    text = _blocks_to_newlines(text)

    lines: list[Line] = []
    gap = False
    for raw in text.split("\n"):
        if not raw.strip() or not raw.strip(_SENTINELS + " \t"):
            if not raw.strip(" \t"):
                gap = True
            flags = set(raw) & set(_SENTINELS)
            if not flags:
                continue
            # a sentinel alone on its line: carry it to the next text line
            pending = raw.strip(" \t")
            lines.append(Line(text="", li=LI in pending, list_start=LIST_START in pending,
                              table_heading=TABLE_HEAD in pending, gap_before=gap))
            continue
        placeholder = PLACEHOLDER_RE.fullmatch(raw.strip())
        if placeholder:
            lines.append(Line(text="", flow=int(placeholder.group(1)), gap_before=True))
            gap = True
            continue
        if _SETEXT_RE.match(raw) and lines and lines[-1].text and not gap:
            lines[-1].heading_hint = True
            continue
        line = Line(text="", gap_before=gap)
        gap = False
        stripped = raw.strip()
        while stripped and stripped[0] in _SENTINELS:
            line.table_heading |= stripped[0] == TABLE_HEAD
            line.list_start |= stripped[0] == LIST_START
            line.li |= stripped[0] == LI
            stripped = stripped[1:].lstrip()
        stripped = stripped.replace(PLACEHOLDER_OPEN, " ").replace(PLACEHOLDER_CLOSE, " ")
        stripped = "".join(ch for ch in stripped if ch not in _SENTINELS)
        md = re.match(r"^#{1,6}(?=\s|\*|<|\d|[A-Za-z])\s*", stripped)
        if md:
            line.heading_hint = True
            stripped = stripped[md.end():]
            stripped = re.sub(r"\s#+\s*$", "", stripped)
        if re.match(r"^>\s", stripped):
            stripped = stripped[2:]
        if _whole_line_bold(stripped):
            line.heading_hint = True
        line.text = clean_inline(stripped)
        if not line.text:
            if line.li or line.list_start or line.table_heading:
                lines.append(line)
            continue
        lines.append(line)
    return _merge(lines), flows


def _merge(lines: list[Line]) -> list[Line]:
    """Fold empty sentinel lines and lone numbers ("1.") into the next text line."""
    out: list[Line] = []
    carry: Line | None = None
    for line in lines:
        if carry is not None and line.flow is None:
            if carry.text:
                line.text = (carry.text + " " + line.text).strip()
            line.heading_hint |= carry.heading_hint
            line.table_heading |= carry.table_heading
            line.li |= carry.li
            line.list_start |= carry.list_start
            line.gap_before |= carry.gap_before
            carry = None
        if line.flow is None and (not line.text or _NUMBER_ONLY_RE.match(line.text)):
            carry = line
            continue
        out.append(line)
    if carry is not None and carry.text:
        out.append(carry)
    return out
