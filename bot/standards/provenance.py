"""Where each fact came from: line ranges in the text read, and a review sheet beside them.

The parser rewrites its input several times (markup removed, tables flattened, run-on
pages split), so the places of facts are found afterwards, in the text as read from the
file (for a PDF, the text extracted from it): the words a value starts with and the words
it ends with are looked up in the document's words, each word knowing its line. Lines are
numbered from 1. A service of a multi-service document is looked up from where its name
appears, so that the second service's "KTP" is not found in the first.
"""
from __future__ import annotations

import re

FIELDS = ("name", "agency", "requirements", "procedure", "completion_time", "fee", "products",
          "complaint_channels", "complaint_deadlines", "legal_basis", "facilities", "competencies",
          "supervision", "guarantees", "safety", "evaluation", "staff")
_WORD_RE = re.compile(r"[a-z0-9]+")


class Words:
    """The document's words in order, each with its line number."""

    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.words: list[str] = []
        self.line_of: list[int] = []
        for number, line in enumerate(self.lines, start=1):
            for w in _WORD_RE.findall(line.lower()):
                self.words.append(w)
                self.line_of.append(number)

    def find(self, phrase: list[str], start: int = 0) -> int | None:
        """Index of the first word of ``phrase`` at or after ``start``."""
        if not phrase:
            return None
        n = len(phrase)
        first = phrase[0]
        for i in range(start, len(self.words) - n + 1):
            if self.words[i] == first and self.words[i:i + n] == phrase:
                return i
        return None


def _texts(field: str, value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if field == "completion_time" or field == "fee":
        return [p for p in re.split(r";\s+", value.get("text") or "") if p]
    if field == "complaint_channels":
        return [c["value"] for c in value if c.get("value")]
    if field == "complaint_deadlines":
        return [d["class"] for d in value if d.get("class")]
    return [v for v in value if isinstance(v, str)]


def _span(words: Words, texts: list[str], start: int) -> tuple[int, int] | None:
    first_at = last_end = None
    pos = start
    for text in texts:
        w = _WORD_RE.findall(text.lower())
        if not w:
            continue
        head = w[:4]
        at = words.find(head, pos)
        if at is None and ": " in text:  # "Group title: leaf": look for the leaf
            w = _WORD_RE.findall(text.rsplit(": ", 1)[1].lower()) or w
            head = w[:4]
            at = words.find(head, pos)
        if at is None:
            at = words.find(head[:2], pos) if len(head) > 2 else None
        if at is None:
            continue
        tail = w[-3:] if len(w) > 4 else []
        end = words.find(tail, at) if tail else at + len(head) - 1
        end = at + len(head) - 1 if end is None or end - at > 4 * len(w) + 40 else end + len(tail) - 1
        first_at = at if first_at is None else first_at
        last_end = max(last_end or end, end)
        pos = at + 1
    if first_at is None:
        return None
    return words.line_of[first_at], words.line_of[min(last_end, len(words.line_of) - 1)]


def sources(text: str, parsed: dict) -> dict[str, list[int]]:
    """``{field: [first_line, last_line]}`` for every field whose value is found in ``text``."""
    words = Words(text)
    start = 0
    name = parsed.get("name")
    if name:
        at = words.find(_WORD_RE.findall(name.lower())[:4])
        start = at if at is not None else 0
    out: dict[str, list[int]] = {}
    for field in FIELDS:
        texts = _texts(field, parsed.get(field))
        span = _span(words, texts, 0 if field in ("name", "agency") else start) or \
            (_span(words, texts, 0) if start and field not in ("name", "agency") else None)
        if span:
            out[field] = [span[0], span[1]]
    return out


def _show(field: str, value) -> list[str]:
    if value in (None, [], ""):
        return ["(not found)"]
    if field == "completion_time":
        return [f"{value.get('text')}  ->  minutes: {value.get('minutes')}, working days: {value.get('working_days')}"]
    if field == "fee":
        lines = [f"{value.get('text')}  ->  {value.get('kind')}, amount: {value.get('amount_idr')}"]
        lines += [f"  item: {i['text']}  ({i['amount_idr']}{' per ' + i['unit'] if i.get('unit') else ''})"
                  for i in value.get("items") or []]
        return lines
    if field == "complaint_channels":
        return [f"{c['kind']}: {c.get('value') or '-'}" for c in value]
    if field == "complaint_deadlines":
        return [f"{d['class']}: {d.get('hours') or d.get('working_days')} "
                f"{'jam' if d.get('hours') else 'hari kerja'}" for d in value]
    if isinstance(value, list):
        return [f"{i}. {v}" for i, v in enumerate(value, start=1)]
    return [str(value)]


def review(text: str, parsed: dict, where: dict[str, list[int]] | None = None) -> str:
    """Each fact beside the source lines it came from, for a person to check."""
    where = sources(text, parsed) if where is None else where
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    warnings = parsed.get("warnings") or []
    out = [f"# {parsed.get('name') or '(no name)'}", ""]
    for field in FIELDS:
        value = parsed.get(field)
        if value in (None, [], "") and field not in ("name", "requirements", "procedure", "completion_time",
                                                     "fee", "products", "complaint_channels"):
            continue
        span = where.get(field)
        out.append(f"== {field}" + (f"  [lines {span[0]}-{span[1]}]" if span else "  [source not located]"))
        out.extend("   " + s for s in _show(field, value))
        for w in warnings:
            if field.replace("_", " ") in w.lower() or field in w.lower():
                out.append(f"   ! {w}")
        if span:
            out.append("   source:")
            for n in range(span[0], min(span[1], span[0] + 40) + 1):
                out.append(f"   {n:>5} | {lines[n - 1].strip()[:160]}")
        out.append("")
    if warnings:
        out.append("== warnings")
        out.extend(f"   ! {w}" for w in warnings)
    return "\n".join(out) + "\n"
