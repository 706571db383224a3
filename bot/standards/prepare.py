"""Clean a document's raw text before it is cut into lines: what the page around the standard adds.

Real copies of standards carry the web page or PDF viewer around them: Scribd's
"Anda di halaman 1dari 6", docplayer's "Transkripsi", a CMS's visitor counter,
breadcrumbs, "Print", the SIPPN registry's LAPOR! footer, page headers repeated
on every page. None of it is a fact of the service. This module removes it
(keeping a note of what it saw: the SIPPN footer names LAPOR! as a channel) and
repairs what the copy broke: private-use bullet glyphs (U+F0B7), doubled
numbering ("1. 1. KTP"), "c). " markers, table rows flattened as
``label | value |``, and whole pages run into one line ("… 2. Persyaratan
Pelayanan 1. …"), which are split before each numbered component heading.

Removed lines are replaced by empty lines where possible so that line numbers
still point into the original text.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .sections import match_heading

#: Page chrome of the sites and viewers standards are published through.
_CHROME_RES = [re.compile(p, re.I) for p in (
    r"^anda di halaman \d+\s*dari \d+$", r"^you are on page \d+\s*of \d+$", r"^print\s*$",
    r"^ukuran:\s*px$", r"^mulai penontonan dengan halaman:?$", r"^download \".*\"$", r"^transkripsi$",
    r"^(?:hari|bulan|tahun) ini \d+$", r"^dibaca \d+ kali$", r"^publish\b.*\d{4}$", r"^\d{1,7}$",
    r"^unduh sebagai pdf atau txt$", r"^isu dan keluhan$", r"^belum ada$",
    r"^klik banner dibawah untuk melaporkan masalah pelayanan publik\b.*$",
    r"^dokumen-dokumen yang mirip$", r"^(?:halaman|hal\.?|page)\s*\d+(?:\s*(?:dari|of|/)\s*\d+)?$",
    r"^-\s*\d+\s*-$", r"^\(\d{1,3}\)$", r"^n/a$", r"^protected$", r"^copied!$", r"^teks penuh$",
    r"^(?:no\.?\s*)?(?:komponen\s*)?uraian$", r"^no\.?\s+komponen$", r"^komponen$",
    r"^academic year:\s*\d{4}$", r"^membagikan \".*\"$", r"^•?\s*tidak ada hasil yang ditemukan$", r"^citation preview$", r"^embed size \(px\)$",
)]
#: The SIPPN registry's footer: site text that points to LAPOR!.
_SIPPN_FOOTER_RES = [re.compile(p, re.I) for p in (
    r"anda juga dapat menyampaikan pengaduan, aspirasi, maupun permintaan informasi melalui aplikasi lapor!?",
    r"melalui lapor!, anda dapat menyampaikan permasalahan pelayanan publik.*",
    r"website lapor!\s*unduh di play store(?:\s*unduh di app(?: store)?)?",
)]
_BREADCRUMB_RE = re.compile(r"^[^>\n]{1,60}(?:\s>\s[^>\n]{1,80}){2,}$")
_META_RE = re.compile(r"^\s*no\.?\s*sk\s*:.*$", re.I)
_PUA_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8\uf06e\uf0e8\u25aa\u2022\u25cf"
_DOUBLED_RE = re.compile(r"^(\s*)(\d{1,2})\.\s+\2\.\s+", re.M)
_ROW_NUMBER_RE = re.compile(r"^(\s*)\d{1,2}\.\s+(?=[a-z][.)]\s)", re.M)  # "1. a. KTP": table row number, then the item
_PAREN_DOT_RE = re.compile(r"(?<![\w(])([a-zA-Z]|\d{1,2})\)\.\s")
_NUMBERED_HEADING_RE = re.compile(r"(?<!\S)(?P<n>\d{1,2})\.\s+(?=[A-Za-z])")
_HIDDEN_RE = re.compile(
    r"<(div|span|p|section|ul|ol|table)\b[^>]*(?:display\s*:\s*none|visibility\s*:\s*hidden|\bhidden\b|aria-hidden=.true.)"
    r"[^>]*>.*?</\1\s*>", re.I | re.S)
_TAB_STEP_RE = re.compile(r"^\s*(\d{1,2})\.?\s*$")
_TABLE_HEADER_RUN_RE = re.compile(r"\bNO\.?\s+KOMPONEN\s+URAIAN\b\s*")


@dataclass
class Prepared:
    text: str
    sippn_footer: bool = False
    removed: list[str] = field(default_factory=list)
    letterhead: list[str] = field(default_factory=list)  # lines repeated on every page, in first-page order


def prepare(text: str) -> Prepared:
    """Remove page chrome and repair flattened layouts (see module doc)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in _PUA_BULLETS:
        text = text.replace(ch, "•")
    out = Prepared(text="")
    lines = text.split("\n")
    repeated = _repeated_page_lines(lines)
    kept: list[str] = []
    for raw in lines:
        if raw.strip() in repeated and raw.strip() not in out.letterhead:
            out.letterhead.append(raw.strip())
        line, footer = _strip_footer(raw)
        out.sippn_footer |= footer
        s = line.strip().replace("\u00a0", " ").strip()
        if s and (any(rx.match(s) for rx in _CHROME_RES) or _BREADCRUMB_RE.match(s) or _META_RE.match(s)
                  or s in repeated):
            out.removed.append(s)
            line = ""
        kept.append(line)
    text = "\n".join(kept)
    text = _DOUBLED_RE.sub(r"\1\2. ", text)
    text = _ROW_NUMBER_RE.sub(r"\1", text)
    text = _PAREN_DOT_RE.sub(r"\1) ", text)
    text = _HIDDEN_RE.sub(" ", text)
    text = _pipe_rows(text)
    text = _tab_rows(text)
    text = "\n".join(_split_run_on(line) for line in text.split("\n"))
    out.text = text
    return out


def _strip_footer(line: str) -> tuple[str, bool]:
    found = False
    for rx in _SIPPN_FOOTER_RES:
        m = rx.search(line)
        if m:
            line = line[:m.start()] + line[m.end():]
            found = True
    return line, found


def _repeated_page_lines(lines: list[str]) -> set[str]:
    """Lines printed on every page (letterhead, page numbers): pages are split by form feeds."""
    text = "\n".join(lines)
    if text.count("\f") < 2:
        return set()
    pages = text.split("\f")
    counts: Counter[str] = Counter()
    for page in pages:
        edge = [l.strip() for l in page.strip("\n").split("\n") if l.strip()]
        edge = edge[:3] + edge[-3:]
        counts.update({re.sub(r"\d+", "#", l) for l in edge})
    need = max(2, (len(pages) + 1) // 2)
    shapes = {s for s, n in counts.items() if n >= need}
    return {l.strip() for l in lines if l.strip() and re.sub(r"\d+", "#", l.strip()) in shapes}


def _pipe_rows(text: str) -> str:
    """``label | value |`` rows (no leading pipe) become one cell per line; split labels are joined."""
    lines = text.split("\n")
    rows = {i for i, l in enumerate(lines) if l.rstrip().endswith("|") and not l.lstrip().startswith("|")}
    if len(rows) < 3:
        return text
    out: list[str] = []
    pending_label: str | None = None
    pending_rest: list[str] = []
    for i, line in enumerate(lines):
        if re.fullmatch(r"\s*\|[\s|]*", line):
            out.append("")
            continue
        if i not in rows:
            out.append(line)
            continue
        cells = [c.strip() for c in line.strip().rstrip("|").split("|")]
        cells = [c for c in cells if c and not re.fullmatch(r"-+|:?-+:?", c)]
        if not cells:
            out.append("")
            continue
        first, rest = cells[0], cells[1:]
        if pending_label and first[:1].islower() and len(first.split()) <= 3 \
                and match_heading(f"{pending_label} {first}") is not None:
            out.append(f"{pending_label} {first}")
            out.extend(pending_rest)
            pending_label = None
            out.extend(rest)
            continue
        if pending_label:
            out.append(pending_label)
            out.extend(pending_rest)
            pending_label = None
        if rest and len(first.split()) <= 2 and match_heading(first) is None and first[:1].isupper() \
                and not re.match(r"^\(?[a-z0-9]{1,2}[.)]", first, re.I):
            pending_label, pending_rest = first, rest
            continue
        out.append("")
        out.append(first)
        out.extend(rest)
    if pending_label:
        out.append(pending_label)
        out.extend(pending_rest)
    return "\n".join(out)


def _tab_rows(text: str) -> str:
    """Tab-separated step rows ("1<TAB>Pemohon mengisi formulir<TAB>5 menit") become "1. … (5 menit)"."""
    lines = text.split("\n")
    rows = [i for i, l in enumerate(lines) if l.count("\t") >= 2 and _TAB_STEP_RE.match(l.split("\t")[0])]
    if len(rows) < 2:
        return text
    for i in rows:
        cells = [c.strip() for c in lines[i].split("\t")]
        number, rest = cells[0].rstrip("."), [c for c in cells[1:] if c]
        if not rest:
            continue
        last = rest[-1]
        if len(rest) >= 2 and re.search(r"\d\s*(?:menit|jam|hari|minggu|detik)\b", last, re.I) and len(last) < 40:
            lines[i] = f"{number}. {' '.join(rest[:-1])} ({last})"
        else:
            lines[i] = f"{number}. {' '.join(rest)}"
    return "\n".join(lines)


_HEADER_LABEL_RE = re.compile(r"^\s*no\.?\s+komponen\s+(?P<label>[A-Za-z].*?)\s*$", re.I)
_MID_HEADING_RE = re.compile(r"(?<=\S)\s+(?=(?P<n>\d{1,2})\.\s+(?P<h>[A-Z][A-Za-z,/ ]{3,60}?)\s+(?:[a-z]|\d{1,2})[.)]\s)")


def _split_run_on(line: str) -> str:
    """Split before numbered component headings run into a line ("… 2. Persyaratan Pelayanan 1. …").

    A very long line (a PDF page as one line) is cut before each such heading in
    sequence; a shorter one only where a heading is followed at once by its first
    list marker ("… Republik Indonesia 2. Mekanisme a. OA mengisi …"). A table header
    row that carries the first label ("No. KOMPONEN Persyaratan") gives the label.
    """
    header = _HEADER_LABEL_RE.match(line)
    if header:
        hm = match_heading(header.group("label"))
        if hm is not None and hm.exact:
            return header.group("label")
    if len(line) < 400:
        for m in _MID_HEADING_RE.finditer(line):
            hm = match_heading(m.group("h"))
            if hm is not None and hm.exact:
                return line[:m.start()] + "\n" + _split_run_on(line[m.end():])
        return line
    line = _TABLE_HEADER_RUN_RE.sub("\n", line)
    cuts: list[int] = []
    expected = 1
    for m in _NUMBERED_HEADING_RE.finditer(line):
        n = int(m.group("n"))
        hm = match_heading(line[m.end():m.end() + 80])
        if hm is None or n < expected - 1 or n > expected + 1:
            continue
        if hm.words < 2 and not hm.exact:
            continue
        cuts.append(m.start())
        expected = n + 1
    if not cuts:
        return line
    parts, last = [], 0
    for c in cuts:
        parts.append(line[last:c].rstrip())
        last = c
    parts.append(line[last:])
    return "\n".join(p for p in parts if p.strip())
