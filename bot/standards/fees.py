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


def parse_fee(text: str) -> dict:
    """``{"text", "amount_idr"}`` for a fee text."""
    found = set(amounts(text))
    free = bool(_FREE_RE.search(text))
    nonzero = {a for a in found if a}
    if nonzero:
        amount = next(iter(nonzero)) if len(nonzero) == 1 and not free else None
    elif free or found:
        amount = 0
    else:
        amount = None
    return {"text": text, "amount_idr": amount}
