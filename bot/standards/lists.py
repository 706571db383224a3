"""Split section text into list items.

Standards write their lists in every way: ``<li>a. …</li>``, Markdown
``- a. …;``, nested ``1) …`` under ``a.``, or everything run together on one
line ("…Informasi Publikb. Undang-Undang…c. …"), and sometimes with no markers
at all (``<ol style="list-style-type: none">`` whose items are just sentences).

Markers are only split where they continue a sequence: after "a." the next
split point is "b." (or the next number of an enclosing "1." list, or a bullet
of an open bullet list), never any letter followed by a dot. That is what keeps
"ext. 126", "Kab. Bangli", "s.d.", "dst." and "Nomor : 2 Tahun 2020" whole. A
new sub-list ("1)" inside "a.") may start mid-line only after a colon or an
introducing word ("melalui", "yaitu", "berikut" …).

Levels come from marker kinds in order of appearance: the first kind seen is
level 0, a new kind opens the next level, an already open kind closes the
levels below it.

Trailing punctuation rule (applied to every list, each nesting level on its
own): a trailing ";" or "," (also "; dan"/"; atau") is a separator and always
goes; a trailing "." goes from the last item of a list (it ends the list) and
from the other items only when the list is punctuated, i.e. every item but the
last ends in ";", "," or "."; otherwise a "." in the middle of the list belongs
to the item's sentence and is kept. Abbreviations ("dst.", "dll.", "ext.") and
ellipses keep their dots.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from .markup import Line
from .sections import match_heading

TypeKey = tuple[str, str]  # (family, style): ("alpha", "."), ("num", ")"), ("bullet", "-"), ("li", "") …

#: Words whose final letter + "." must never be read as the next marker ("Kab." is not "b.").
ABBREVIATIONS = {
    "kab", "kec", "kel", "prov", "jl", "jln", "no", "telp", "tlp", "ds", "tbk", "ext", "dst", "dll",
    "dsb", "sbb", "hlm", "ir", "dr", "drs", "ny", "sdr", "bpk", "pt", "cv", "ttd", "kep", "kp", "rt",
    "rw", "an", "ub", "up", "sd", "st", "sh", "se", "mm", "hp", "fax", "ob", "bab", "lamp", "perda",
    "perbup", "pergub", "permen", "kepmen", "kepbup", "admin", "adm", "mis", "misal", "ket", "tgl",
    "thn", "tsb", "yth", "dgn", "utk", "spt", "skm", "kab", "kota", "desa", "pkl", "ps", "psl", "ay",
    "web", "www", "id", "com", "go",
}
GENERIC_LABELS = {
    "prosedur", "keterangan", "alur", "alur prosedur", "alur pelayanan", "mekanisme", "tahapan",
    "langkah", "langkah langkah", "catatan", "uraian", "prosedur pelayanan", "mekanisme pelayanan",
    "tata cara", "ket", "alur layanan", "prosedur layanan", "sop",
}
NOTE_LABELS = {"keterangan", "catatan", "ket"}

_BULLETS = "-•*▪●◦·‣⁃–"
_LEAD_BULLET_RE = re.compile(r"^([" + re.escape(_BULLETS) + r"])\s+")
_LEAD_ORD_RE = re.compile(
    r"(?P<open>\()?(?P<tok>[a-z]|[A-Z]|\d{1,2})(?P<close>[.)])"
    r"(?:\s+|(?=[A-Z(\"“]))"
)
_INTRO_RE = re.compile(
    r"(?::|\b(?:melalui|yaitu|yakni|berikut|antara lain|meliputi|terdiri dari|terdiri atas|sbb|sebagai berikut|adalah))\s*$",
    re.I,
)
_NOT_BEFORE_NUMBER_RE = re.compile(
    r"\b(?:nomor|no|nomer|pasal|ayat|angka|huruf|tahun|pukul|jam|ke|lampiran|bab|butir|lantai|rt|rw|kode|rp)\s*[.:]?\s*$",
    re.I,
)
_ENDED_RE = re.compile(r"[.;:!?]\s*$|\b(?:dan|atau)\s*$")
_NOT_BEFORE_LETTER_RE = re.compile(r"\b(?:huruf|butir|ayat \(\d+\)|angka \d+)\s*$", re.I)


@dataclass
class Item:
    """One list item; ``label`` is the sub-heading ("Keterangan :") it came under."""

    text: str
    level: int
    kind: TypeKey
    label: str | None = None
    children: list["Item"] = field(default_factory=list)


@dataclass
class ListResult:
    items: list[Item]  # flat, in document order, with levels
    unsure: list[str]  # texts of marker-less lists that could not be split with confidence
    flows: list[int] = field(default_factory=list)  # flowchart placeholders met, in order


def _ordinal(tok: str) -> int:
    return int(tok) if tok.isdigit() else ord(tok.lower()) - ord("a") + 1


def _token(family: str, ordinal: int) -> str | None:
    if family == "num":
        return str(ordinal)
    if not 1 <= ordinal <= 26:
        return None
    letter = chr(ord("a") + ordinal - 1)
    return letter.upper() if family == "ALPHA" else letter


def _family(tok: str) -> str:
    if tok.isdigit():
        return "num"
    return "ALPHA" if tok.isupper() else "alpha"


def leading_marker(text: str) -> tuple[TypeKey, int, int] | None:
    """The list marker a text starts with: (kind, ordinal, offset of the item text)."""
    offset = 0
    bullet = _LEAD_BULLET_RE.match(text)
    if bullet:
        offset = bullet.end()
    m = _LEAD_ORD_RE.match(text, offset)
    if m:
        tok = m.group("tok")
        fam = _family(tok)
        if fam == "ALPHA" and m.end() == m.start("close") + 1:
            return None  # "A.Md" : an abbreviation, not a marker
        style = "()" if m.group("open") else m.group("close")
        return (fam, style), _ordinal(tok), m.end()
    if bullet:
        return ("bullet", bullet.group(1)), 0, offset
    return None


@dataclass
class _Found:
    start: int
    end: int
    kind: TypeKey
    ordinal: int


def _valid_ordinal(s: str, start: int, after: int, family: str) -> bool:
    """Is the marker at ``start`` a real split point (see module doc)?"""
    prev = s[start - 1] if start > 0 else " "
    nxt = s[after: after + 1]
    needs_capital = False
    if family == "num":
        if prev.isdigit():
            return False
        if prev in ".," and start >= 2 and s[start - 2].isdigit():
            return False
        if _NOT_BEFORE_NUMBER_RE.search(s[max(0, start - 20):start]):
            return False
        needs_capital = prev.isalpha()
    else:
        if prev.isalpha() or prev.isdigit():
            if family == "ALPHA":
                return False
            j = start
            while j > 0 and s[j - 1].isalpha():
                j -= 1
            if s[j:start + 1].lower() in ABBREVIATIONS:
                return False
            needs_capital = True
        elif prev == "." and start >= 2 and s[start - 2].isalpha() and (start < 3 or not s[start - 3].isalpha()):
            return False  # "s.d." , "a.n."
        if _NOT_BEFORE_LETTER_RE.search(s[max(0, start - 20):start]):
            return False
    if needs_capital and not (nxt[:1].isupper() or nxt[:1].isdigit()):
        return False
    return True


def _ordinal_pattern(tok: str, style: str) -> re.Pattern[str]:
    if style == "()":
        core = r"\(" + re.escape(tok) + r"\)"
    else:
        core = re.escape(tok) + re.escape(style)
    return re.compile(core + r"(?:\s+(?=\S)|(?=[A-Z(]))")


def _find_next(s: str, stack: list[list], pos: int) -> _Found | None:
    """Earliest valid marker in ``s[pos:]`` continuing an open list or starting a sub-list."""
    best: _Found | None = None
    open_kinds = {tuple(k) for k, _ in stack}

    def consider(found: _Found) -> None:
        nonlocal best
        if best is None or found.start < best.start:
            best = found

    for kind, last in stack:
        family, style = kind
        if family == "bullet":
            for m in re.finditer(r"(?<=\s)" + re.escape(style) + r"\s+(?=\S)", s[pos:]):
                consider(_Found(pos + m.start(), pos + m.end(), kind, 0))
                break
            continue
        if family not in ("alpha", "ALPHA", "num"):
            continue
        tok = _token(family, last + 1)
        if tok is None:
            continue
        for m in _ordinal_pattern(tok, style).finditer(s, pos):
            if best is not None and m.start() >= best.start:
                break
            if _valid_ordinal(s, m.start(), m.end(), family):
                consider(_Found(m.start(), m.end(), kind, last + 1))
                break
    # a new sub-list right after a colon or an introducing word
    for family, style, tok in (("alpha", ".", "a"), ("alpha", ")", "a"), ("alpha", "()", "a"),
                               ("num", ".", "1"), ("num", ")", "1"), ("num", "()", "1"),
                               ("ALPHA", ".", "A")):
        if (family, style) in open_kinds:
            continue
        for m in _ordinal_pattern(tok, style).finditer(s, pos):
            if best is not None and m.start() >= best.start:
                break
            if m.start() > 0 and not s[m.start() - 1].isspace():
                continue
            if _INTRO_RE.search(s[max(pos, m.start() - 40):m.start()]):
                consider(_Found(m.start(), m.end(), (family, style), 1))
                break
    for bullet in "-•":
        if ("bullet", bullet) in open_kinds:
            continue
        for m in re.finditer(r"(?<=\s)" + re.escape(bullet) + r"\s+(?=\S)", s[pos:]):
            start = pos + m.start()
            if best is not None and start >= best.start:
                break
            if re.search(r":\s*$", s[max(pos, start - 5):start]):
                consider(_Found(start, pos + m.end(), ("bullet", bullet), 0))
                break
    return best


def _enter(stack: list[list], kind: TypeKey, ordinal: int) -> int:
    """Open (or return to) a list kind; its level is its depth in the stack."""
    for i, (k, _) in enumerate(stack):
        if tuple(k) == kind:
            del stack[i + 1:]
            stack[i][1] = ordinal
            return i
    stack.append([kind, ordinal])
    return len(stack) - 1


def _norm_label(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^a-z]+", " ", text.lower())).strip()


def split_unmarked(text: str) -> tuple[list[str], bool]:
    """Split a marker-less list written as one run of sentences.

    First at ";" or ". " followed by a capital; else at each repetition of the
    phrase (up to four words, capitalised) the text starts with, when that phrase
    comes back at least once ("Tamu/ pengguna layanan … Tamu/ pengguna layanan …").
    Returns the pieces and whether the split can be trusted (a long text that
    could not be split at all is not).
    """
    text = text.strip()
    pieces = [p.strip() for p in re.split(r";\s+|(?<![A-Z])(?<!\b[a-z])\.\s+(?=[A-Z])", text) if p.strip()]
    pieces = [p for p in pieces if p]
    if len(pieces) > 1 and not any(_ends_with_abbreviation(p + ".") for p in pieces[:-1]):
        return pieces, True
    words = text.split(" ")
    for k in range(min(4, len(words) // 2), 0, -1):
        phrase = words[:k]
        if not phrase[0][:1].isupper():
            break
        if not any(len(re.sub(r"\W", "", w)) >= 3 for w in phrase):
            continue
        cuts = [0]
        i = k
        while i <= len(words) - k:
            if words[i:i + k] == phrase and i >= cuts[-1] + k + 1:
                cuts.append(i)
                i += k
            else:
                i += 1
        if len(cuts) > 1:
            cuts.append(len(words))
            return [" ".join(words[a:b]) for a, b in zip(cuts, cuts[1:])], True
    return [text], len(words) <= 15


def _ends_with_abbreviation(text: str) -> bool:
    m = re.search(r"(?:^|[^A-Za-z])([A-Za-z]{1,6})\.$", text)
    return bool(m) and m.group(1).lower() in ABBREVIATIONS


def items_from_lines(lines: Iterable[Line]) -> ListResult:
    """Read the items of one section (see module doc for the rules)."""
    items: list[Item] = []
    unsure: list[str] = []
    flows: list[int] = []
    stack: list[list] = []
    label: str | None = None
    prev_line: Line | None = None

    def add(text: str, level: int, kind: TypeKey) -> None:
        items.append(Item(text.strip(), level, kind, label))

    for line in lines:
        if line.flow is not None:
            flows.append(line.flow)
            prev_line = line
            continue
        text = line.text.strip()
        if not text:
            continue
        lead = leading_marker(text)
        if lead is None:
            base = (items and prev_line is not None and prev_line.flow is None and not line.li
                    and not line.list_start and not line.heading_hint)
            continuation = base and (
                (not line.gap_before and text[:1].islower())
                # a line wrapped in a PDF: the marked item before it has not ended its sentence
                or (items[-1].kind[0] not in ("plain", "li", "unmarked") and not _ENDED_RE.search(items[-1].text)
                    and (text[:1].islower() or not line.gap_before) and not re.fullmatch(r"[^:]{1,60}:", text))
            )
            label_match = re.fullmatch(r"([^:]{1,60}?)\s*[:：]", text)
            if continuation:
                first, rest = _split_run(text, 0, stack)
                items[-1].text += " " + first
                for seg_kind, level, seg in rest:
                    add(seg, level, seg_kind)
                prev_line = line
                continue
            if label_match and len(label_match.group(1).split()) <= 6:
                norm = _norm_label(label_match.group(1))
                if norm in GENERIC_LABELS or match_heading(label_match.group(1)) is not None:
                    label = norm
                    stack.clear()
                    prev_line = line
                    continue
            if line.list_start and not line.li:
                pieces, confident = split_unmarked(text)
                if not confident:
                    unsure.append(text)
                kind = ("unmarked", "")
            else:
                pieces = [text]
                kind = ("li", "") if line.li else ("plain", "")
                if kind == ("plain", ""):
                    stack.clear()
            level = _enter(stack, kind, 0)
            for piece in pieces:
                first, rest = _split_run(piece, 0, stack)
                add(first, level, kind)
                for seg_kind, seg_level, seg in rest:
                    add(seg, seg_level, seg_kind)
                _enter(stack, kind, 0)
            prev_line = line
            continue
        kind, ordinal, offset = lead
        level = _enter(stack, kind, ordinal)
        first, rest = _split_run(text, offset, stack)
        add(first, level, kind)
        for seg_kind, seg_level, seg in rest:
            add(seg, seg_level, seg_kind)
        prev_line = line
    return ListResult([i for i in items if i.text], unsure, flows)


def _split_run(text: str, offset: int, stack: list[list]) -> tuple[str, list[tuple[TypeKey, int, str]]]:
    """Cut run-together items out of one line; returns the first text and the others."""
    out: list[tuple[TypeKey, int, str]] = []
    seg_start = offset
    first: str | None = None
    current: tuple[TypeKey, int] | None = None
    guard = 0
    while guard < 500:
        guard += 1
        found = _find_next(text, stack, seg_start + 1 if seg_start < len(text) else seg_start)
        if found is None:
            break
        piece = text[seg_start:found.start]
        if first is None:
            first = piece
        else:
            out.append((current[0], current[1], piece))  # type: ignore[index]
        level = _enter(stack, found.kind, found.ordinal)
        current = (found.kind, level)
        seg_start = found.end
    piece = text[seg_start:]
    if first is None:
        return piece.strip(), out
    out.append((current[0], current[1], piece))  # type: ignore[index]
    return first.strip(), [(k, lv, p.strip()) for k, lv, p in out]


def build_tree(items: list[Item]) -> list[Item]:
    """Nest items under the nearest preceding item of a lower level."""
    roots: list[Item] = []
    path: list[Item] = []
    for item in items:
        node = Item(item.text, item.level, item.kind, item.label)
        while path and path[-1].level >= node.level:
            path.pop()
        (path[-1].children if path else roots).append(node)
        path.append(node)
    return roots


def strip_separators(texts: list[str], final_period: bool = True) -> list[str]:
    """Apply the trailing punctuation rule of the module doc to one list.

    ``final_period=False`` keeps the "." of a single text (scalar fields such as
    ``staff`` are kept as written; only list separators go).
    """
    texts = [t.strip() for t in texts]
    punctuated = len(texts) >= 2 and all(t.endswith((";", ",", ".")) for t in texts[:-1])
    out = []
    for i, t in enumerate(texts):
        t = re.sub(r"\s*[;,]\s*(?:dan|atau)?\s*$", "", t).strip()
        t = re.sub(r"\s*[;,]$", "", t).strip()
        if t.endswith(".") and not t.endswith("..") and not _ends_with_abbreviation(t):
            if punctuated or (i == len(texts) - 1 and (final_period or len(texts) > 1)):
                t = t[:-1].rstrip()
        out.append(t)
    return out


def render(roots: list[Item], final_period: bool = True) -> list[str]:
    """Item texts for output: sub-items are joined into their parent ("Parent : a; b")."""
    texts = strip_separators([r.text for r in roots], final_period)
    out: list[str] = []
    for item, text in zip(roots, texts):
        if item.children:
            kids = "; ".join(k for k in render(item.children) if k)
            if text and kids:
                if text.endswith(":"):
                    text = f"{text} {kids}"
                else:
                    text = f"{text.rstrip('.;,')}: {kids}"
            elif kids:
                text = kids
        if text:
            out.append(text)
    return out


def render_leaves(roots: list[Item]) -> list[str]:
    """Item texts for counting lists (requirements): every leaf its own item.

    A group title ("Penerbitan Kartu Keluarga Baru", "Untuk orang asing, ditambah :")
    is kept in front of each of its leaves; a lone introduction ("Syarat-syarat … :" over
    the whole list) is dropped.
    """
    if len(roots) == 1 and roots[0].children and roots[0].text.rstrip().endswith(":"):
        return render_leaves(roots[0].children)
    texts = strip_separators([r.text for r in roots])
    out: list[str] = []
    for item, text in zip(roots, texts):
        if not item.children:
            if text:
                out.append(text)
            continue
        head = text.rstrip(" :.;,")
        for leaf in render_leaves(item.children):
            out.append(f"{head}: {leaf}" if head else leaf)
    return out


def flat_texts(items: list[Item]) -> list[str]:
    """Every item's own text (no joining), separators stripped: for scanning."""
    return [t for t in strip_separators([i.text for i in items]) if t]
