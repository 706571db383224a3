"""Fees: "Gratis", "Tidak dipungut biaya", "Rp 50.000,-", "Rp. 1.500.000,00".

``amount_idr`` is 0 when the text says the service is free (or "Rp 0"), the
amount when exactly one amount is stated, and null when it is unclear: no
amount, several different amounts, or "free" together with a real amount.
Indonesian notation is read: "." groups thousands, "," starts the cents, ",-"
means no cents; "juta"/"ribu" multiply.
"""
from __future__ import annotations

import re

_FREE_RE = re.compile(
    r"\bgratis\b|\bfree\b|\bnihil\b|tidak\s+(?:di\s*)?(?:pungut|kenakan|kenai|bebankan|tarik)\s*(?:biaya|tarif)?"
    r"|tidak\s+(?:ada|dipungut)\s+(?:biaya|tarif|pungutan)|tanpa\s+(?:biaya|dipungut|pungutan|tarif)"
    r"|bebas\s+(?:biaya|tarif)|tidak\s+berbayar|tidak\s+dipungut",
    re.I,
)
_AMOUNT_RE = re.compile(
    r"\bRp\.?\s*(?P<num>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec>-|\d{1,2})(?!\d))?\s*(?P<mult>juta|ribu|rb)?"
    r"|(?P<num2>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<dec2>\d{1,2}))?\s*(?P<mult2>juta|ribu)?\s*rupiah",
    re.I,
)
_MULT = {"juta": 1_000_000, "ribu": 1_000, "rb": 1_000}


def is_free_text(text: str) -> bool:
    """Does the text say the service is free ("Gratis", "Tidak dipungut biaya", ...)?"""
    return bool(_FREE_RE.search(text))


def amounts(text: str) -> list[int]:
    """Every rupiah amount written in ``text``, in order."""
    out = []
    for m in _AMOUNT_RE.finditer(text):
        num = m.group("num") or m.group("num2")
        dec = m.group("dec") if m.group("num") else m.group("dec2")
        mult = (m.group("mult") or m.group("mult2") or "").lower()
        value = float(num.replace(".", ""))
        if dec and dec != "-" and mult:
            value = float(num.replace(".", "") + "." + dec)
        value *= _MULT.get(mult, 1)
        out.append(int(round(value)))
    return out


_REFERENCE_RE = re.compile(
    r"\b(?:sesuai|berdasarkan|mengacu|diatur|ditetapkan|berpedoman)\b|\b(?:perda|perbup|perwali|pergub|pnbp)\b"
    r"|peraturan\s+(?:daerah|bupati|walikota|gubernur|pemerintah|menteri)|\bretribusi\s+daerah\b",
    re.I,
)
_NOT_STATED_RE = re.compile(r"^\W*(?:-+|–|—|tidak\s+ada|belum\s+ada|n/?a|\.{3})\W*$", re.I)
_UNIT_RE = re.compile(r"^\s*(?:/\s*|per\s+)([A-Za-z][\w ]{0,20}?)(?=$|[\s,;.)])", re.I)


def fee_items(text: str) -> list[dict]:
    """Each amount with what it is for: ``{"text", "amount_idr", "unit"}`` ("Rp. 45.000/unit" -> unit "unit")."""
    out = []
    start = 0
    for m in _AMOUNT_RE.finditer(text):
        label = text[start:m.start()]
        label = re.sub(r"^[\s;,.:\-–]+|[\s:=\-–]+$", "", label)
        label = re.sub(r"^(?:[A-Za-z]|\d{1,2})[.)]\s+", "", label)
        after = text[m.end():]
        unit_m = _UNIT_RE.match(after)
        end = m.end() + (unit_m.end() if unit_m else 0)
        value = amounts(m.group(0))
        out.append({"text": (label + " " + text[m.start():end]).strip(), "amount_idr": value[0] if value else None,
                    "unit": unit_m.group(1).strip() if unit_m else None})
        start = end
    return out


def parse_fee(text: str) -> dict:
    """``{"text", "amount_idr", "kind", "items"}`` for a fee text.

    ``kind`` tells apart what ``amount_idr`` alone cannot: "free" (0), "amount" (one
    amount), "items" (a tariff list: ``items`` holds each amount, ``amount_idr`` is null),
    "reference" (the fee is set by a regulation the text cites, no amount), "not_stated"
    ("-") and "unclear".
    """
    found = set(amounts(text))
    free = bool(_FREE_RE.search(text))
    nonzero = {a for a in found if a}
    items: list[dict] = []
    if nonzero:
        amount = next(iter(nonzero)) if len(nonzero) == 1 and not free else None
        kind = "amount" if amount is not None else "items"
        if kind == "items":
            items = fee_items(text)
    elif free or found:
        amount, kind = 0, "free"
    else:
        amount = None
        kind = "not_stated" if _NOT_STATED_RE.match(text) else "reference" if _REFERENCE_RE.search(text) else "unclear"
    return {"text": text, "amount_idr": amount, "kind": kind, "items": items}
