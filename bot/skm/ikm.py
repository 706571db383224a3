"""The Indeks Kepuasan Masyarakat (IKM) of PermenPANRB 14/2017, and how many respondents a period needs.

Exact arithmetic (``Fraction``) up to the one rounding the regulation
prints: the IKM with two decimals, half up, as a person with a calculator
(or a spreadsheet's ROUND) gets it. Python's ``round`` on floats rounds the
binary neighbour instead (``round(64.985, 2)`` is 64.98): no float is rounded here.

Grades are read from the *rounded* IKM. The annex's intervals are written on
the two-decimal grid (25,00–64,99 D, 65,00–76,60 C, 76,61–88,30 B,
88,31–100,00 A) and leave gaps between grid points (64,99 < x < 65,00): an
unrounded value such as 64.996 falls in no interval. Rounding first puts
every value in exactly one interval and makes the grade printed beside the
IKM always agree with the annex's table for the number printed: 64.994
prints as 64,99 and is D; 64.995 prints as 65,00 and is C.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Iterable, Mapping

ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")

#: (lowest IKM of the interval, grade, performance words), highest first: the annex's table.
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

#: Krejcie & Morgan (1970): chi-square for 1 degree of freedom at 95 %, the proportion, the margin of error.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero (never banker's rounding)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = Decimal(1).scaleb(-places)
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Grade:
    letter: str  # A, B, C, D
    words: str  # Sangat Baik, Baik, Kurang Baik, Tidak Baik


def grade_for(ikm: Decimal | Fraction | float | int) -> Grade:
    """The grade of an IKM on the 25–100 scale; the value is first rounded to 2 decimals (see module doc)."""
    value = round_half_up(Fraction(str(ikm)) if isinstance(ikm, float) else ikm, 2)
    if value < Decimal("25.00") or value > Decimal("100.00"):
        raise ValueError(f"IKM must be between 25 and 100, got {value}")
    for lowest, letter, words in GRADES:
        if value >= lowest:
            return Grade(letter, words)
    raise AssertionError("unreachable: 25.00 is the lowest interval")


@dataclass(frozen=True)
class Index:
    """The IKM of a set of responses: per element NRR (None when nobody answered it), and the index."""

    nrr: dict[str, Fraction | None]
    answered: dict[str, int]  # respondents per element
    ikm_exact: Fraction | None
    ikm: Decimal | None  # rounded to 2 decimals
    grade: Grade | None

    def nrr_rounded(self, places: int = 2) -> dict[str, Decimal | None]:
        return {k: None if v is None else round_half_up(v, places) for k, v in self.nrr.items()}


def compute_index(responses: Iterable[Mapping[str, int | None]]) -> Index:
    """NRR per element = total score / respondents who answered it; IKM = (Σ NRR × 1/9) × 25.

    A partial response counts for the elements it answered. The IKM needs an
    NRR for each of the nine elements; without one it is None (and so is the grade).
    """
    totals = {k: 0 for k in ELEMENTS}
    counts = {k: 0 for k in ELEMENTS}
    for response in responses:
        for key in ELEMENTS:
            score = response.get(key)
            if score is None:
                continue
            if score not in (1, 2, 3, 4):
                raise ValueError(f"{key} must be 1..4, got {score!r}")
            totals[key] += score
            counts[key] += 1
    nrr = {k: Fraction(totals[k], counts[k]) if counts[k] else None for k in ELEMENTS}
    if any(v is None for v in nrr.values()):
        return Index(nrr, counts, None, None, None)
    exact = sum(nrr.values(), Fraction(0)) * Fraction(1, 9) * 25
    rounded = round_half_up(exact, 2)
    return Index(nrr, counts, exact, rounded, grade_for(rounded))


def element_grade(nrr: Fraction) -> Grade:
    """An element's own grade: its NRR × 25 on the same table (NI 1,00–2,5996 D ... 3,5324–4,00 A)."""
    return grade_for(nrr * 25)


def min_respondents(population: int) -> int:
    """Krejcie–Morgan sample size for ``population``: χ²NP(1−P) / (d²(N−1) + χ²P(1−P)), rounded to nearest.

    Rounding to the nearest whole number reproduces the published table
    (15 → 14, 100 → 80, 1,000 → 278, 10,000 → 370, 1,000,000 → 384) except
    its row 100,000 → 384, where the formula gives 382.6 (383): the table's
    last rows are not the formula's values. No population, no sample: 0.
    """
    if population < 0:
        raise ValueError("population cannot be negative")
    if population == 0:
        return 0
    n = Fraction(population)
    pq = PROPORTION * (1 - PROPORTION)
    size = CHI_SQUARE * n * pq / (MARGIN ** 2 * (n - 1) + CHI_SQUARE * pq)
    return int(round_half_up(size, 0))
