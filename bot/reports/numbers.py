"""Numbers as Indonesian documents print them: 1.234 and 1.234,56 (dot for thousands, comma for decimals)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from bot.skm.ikm import round_half_up


def fmt_int(value: int) -> str:
    """1234567 -> "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def fmt_dec(value: Decimal | Fraction | int | None, places: int = 2, empty: str = "-") -> str:
    """1234.5 -> "1.234,50" (half-up rounding to ``places``); None -> ``empty``."""
    if value is None:
        return empty
    rounded = round_half_up(value if not isinstance(value, int) else Decimal(value), places)
    text = f"{rounded:,.{places}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_pct(part: int, whole: int, places: int = 2, empty: str = "-") -> str:
    """Share of ``whole`` as a percentage: (6, 7) -> "85,71%"."""
    if not whole:
        return empty
    return fmt_dec(Fraction(100 * part, whole), places) + "%"
