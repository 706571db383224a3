"""Documents whose headings were lost: give their blocks to fields by the registry's fixed order.

A SIPPN page copied as text keeps the values of the service-delivery components
but not their labels: the title, then Persyaratan, Sistem/Mekanisme/Prosedur,
Jangka Waktu, Biaya/Tarif, Produk, Pengaduan, in that order, separated by blank
lines. This module cuts the lines before the first known heading into blocks (a
block is a paragraph, or a list that continues its numbering or bullets across
blank lines) and hands them out in that order, checked against what each block
looks like: a short "10 Menit" is a duration even where the requirements were
expected (empty requirements and procedure are simply absent on the page), a
"Tidak dipungut biaya" or a block with rupiah amounts is the fee, the last
component takes every block after it. Synthetic heading lines are then put in
front of each field's first block so that the ordinary section finder reads
the result.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .channels import channels_in
from .durations import parse_duration
from .fees import amounts, is_free_text
from .lists import leading_marker
from .markup import Line
from .sections import DISPLAY

ORDER = ("requirements", "procedure", "completion_time", "fee", "products", "complaints")
_DURATION_RE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:\([^)]{0,30}\)\s*)?(?:menit|jam|hari|minggu|detik)\b", re.I)
_COMPLAINT_RE = re.compile(r"^\W*(?:\d+[.)]\s*)?(?:pengaduan|aduan|keluhan|kritik|melalui\s+(?:kotak|sms|telepon|email|wa\b))",
                           re.I)
_VALUE_RE = re.compile(r"@|https?://|www\.|\.go\.id|\b0\d{2,4}[\s.-]?\d{3,}")
_FEE_WORD_RE = re.compile(r"^\W*(?:biaya|tarif|retribusi)\b|\bRp\.?\s*\d", re.I)


@dataclass
class Block:
    lines: list[Line] = field(default_factory=list)
    stack: dict = field(default_factory=dict)  # marker kind -> last ordinal

    @property
    def text(self) -> str:
        return " ".join(l.text for l in self.lines)

    @property
    def marked(self) -> bool:
        return any(leading_marker(l.text) for l in self.lines)


def _caps_heading(text: str) -> bool:
    """"I. PASANG BARU SR VERTIKAL": a sub-heading whose list follows (not "2. STNK", an item)."""
    if re.match(r"^\W*\d+[.)]", text):
        return False
    core = re.sub(r"^\W*(?:[IVX]+|[A-Z])[.)]\s*", "", text)
    letters = [c for c in core if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and 2 <= len(core.split()) <= 8


def blocks_of(lines: list[Line]) -> list[Block]:
    """Cut lines into blocks (see module doc)."""
    gapless = not any(l.gap_before for l in lines[1:])
    blocks: list[Block] = []
    for line in lines:
        lead = leading_marker(line.text)
        cur = blocks[-1] if blocks else None
        prev = cur.lines[-1] if cur else None
        cont = False
        if cur is not None:
            if prev.text.rstrip().endswith(":") or _caps_heading(prev.text) and lead is not None:
                cont = True
            elif lead is not None:
                kind, ordinal, _ = lead
                last = cur.stack.get(kind)
                cont = last is not None and (kind[0] == "bullet" or ordinal == last + 1)
            elif not line.gap_before and (not gapless or line.text[:1].islower()):
                cont = True
        if not cont:
            cur = Block()
            blocks.append(cur)
        if lead is not None:
            cur.stack[lead[0]] = lead[1]
        cur.lines.append(line)
    return _absorb_tariffs(blocks)


def _absorb_tariffs(blocks: list[Block]) -> list[Block]:
    """A fee block keeps the tariff lists that follow it."""
    out: list[Block] = []
    for block in blocks:
        if out and _FEE_WORD_RE.search(out[-1].lines[0].text) and amounts(block.text) and not is_time(block):
            out[-1].lines.extend(block.lines)
            out[-1].stack.update(block.stack)
            continue
        out.append(block)
    return out


def is_time(block: Block) -> bool:
    text = block.text
    if len(text) >= 1500 or amounts(text):
        return False
    if _DURATION_RE.search(text):
        return True
    value = parse_duration(text)  # "Satu hari kerja"
    return value["minutes"] is not None or value["working_days"] is not None


def is_complaint(block: Block) -> bool:
    """"Pengaduan melalui website …", "Melalui Kotak Saran": a complaint channel, not a product."""
    text = block.text
    return bool(_COMPLAINT_RE.match(text)) or (bool(channels_in(text)) and bool(_VALUE_RE.search(text)))


def is_fee(block: Block) -> bool:
    text = block.text
    return is_free_text(text) or bool(amounts(text)) or bool(_FEE_WORD_RE.search(block.lines[0].text))


def _kind_of(block: Block, expected: str, last: str | None, nxt: Block | None) -> str:
    if last == "completion_time" and is_time(block) and not is_fee(block):
        return "completion_time"
    if expected in ("requirements", "procedure"):
        if not block.marked and len(block.lines) <= 2:
            if is_time(block):
                return "completion_time"
            if is_fee(block):
                return "fee"
        return expected
    if expected == "completion_time":
        if not is_time(block) and is_fee(block):
            return "fee"
        return expected
    if expected == "fee":
        if is_fee(block):
            return "fee"
        if is_complaint(block):
            return "complaints"
        if nxt is None or is_complaint(nxt):
            return "products"  # the fee is absent: the block before the complaints is the product
        return "fee" if len(block.text) < 200 else "products"
    if expected == "products":
        if (len(block.lines) > 1 and channels_in(block.text)) or is_complaint(block):
            return "complaints"
        return "products"
    return "complaints"


def assign_tail(lines: list[Line], after: str) -> list[Line]:
    """The lines of a SIPPN page's last labelled component: its own first block, then the
    blocks after it given to the components that follow ``after`` in the registry's order."""
    blocks = blocks_of(lines)
    if len(blocks) < 2:
        return lines
    head = blocks[0].lines
    rest = [l for b in blocks[1:] for l in b.lines]
    assigned, _ = _assign(blocks[1:], ORDER.index(after) + 1, after)
    return head + assigned if assigned else head + rest


def assign_fields(lines: list[Line]) -> tuple[list[Line], str | None]:
    """Lines with a synthetic heading before each field's blocks; also the title line when there is one."""
    blocks = blocks_of(lines)
    title = None
    if blocks and len(blocks[0].lines) == 1 and not blocks[0].marked and not is_time(blocks[0]) \
            and not is_fee(blocks[0]) and len(blocks[0].text.split()) <= 14:
        title = blocks.pop(0).lines[0].text
    if not any(is_time(b) or is_fee(b) for b in blocks) or len(blocks) < 3:
        return lines, None  # nothing that reads as a duration or a fee: not a standard with lost headings
    out, _ = _assign(blocks, 0, None)
    return out, title


def _assign(blocks: list[Block], pos: int, last: str | None) -> tuple[list[Line], str | None]:
    out: list[Line] = []
    for i, block in enumerate(blocks):
        expected = ORDER[min(pos, len(ORDER) - 1)]
        kind = _kind_of(block, expected, last, blocks[i + 1] if i + 1 < len(blocks) else None)
        if kind != last:
            out.append(Line(DISPLAY[kind], table_heading=True, gap_before=True))
        out.extend(block.lines)
        last = kind
        pos = max(pos, ORDER.index(kind) + 1)
    return out, last
