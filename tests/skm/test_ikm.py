"""IKM, grades and sample sizes against hand-computed values (PermenPANRB 14/2017; Krejcie & Morgan 1970)."""
from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from bot.skm.ikm import ELEMENTS, compute_index, element_grade, grade_for, min_respondents, round_half_up


def responses(*rows: list[int | None]) -> list[dict]:
    return [dict(zip(ELEMENTS, row)) for row in rows]


def totalling(n: int, total: int) -> list[dict]:
    """``n`` full responses whose 9n scores add up to ``total`` (all 1s, then raised up to 4 in order)."""
    scores = [1] * (9 * n)
    extra = total - 9 * n
    for i in range(len(scores)):
        step = min(3, extra)
        scores[i] += step
        extra -= step
    assert extra == 0 and sum(scores) == total
    return [dict(zip(ELEMENTS, scores[i * 9:(i + 1) * 9])) for i in range(n)]


def test_four_respondents_by_hand():
    index = compute_index(responses([4] * 9, [3] * 9, [4, 3, 3, 4, 3, 4, 4, 3, 2], [3, 3, 2, 4, 3, 3, 4, 3, 3]))
    # u1 (4+3+4+3)/4 = 3.5, u2 3.25, u3 3.0, u4 3.75, u5 3.25, u6 3.5, u7 3.75, u8 3.25, u9 3.0; sum 30.25
    assert index.nrr_rounded() == {k: Decimal(v) for k, v in zip(ELEMENTS, (
        "3.50", "3.25", "3.00", "3.75", "3.25", "3.50", "3.75", "3.25", "3.00"))}
    assert index.ikm_exact == Fraction(3025, 36)  # 30.25 × 1/9 × 25 = 84.02777…
    assert index.ikm == Decimal("84.03")
    assert (index.grade.letter, index.grade.words) == ("B", "Baik")


def test_a_partial_response_counts_for_the_elements_it_answered():
    index = compute_index(responses([4] * 9, [2, 2, 2, 2, None, None, None, None, None]))
    # u1..u4: (4+2)/2 = 3; u5..u9: 4/1 = 4; (4×3 + 5×4) / 9 × 25 = 32/9 × 25 = 88.888…
    assert index.answered == {**{k: 2 for k in ELEMENTS[:4]}, **{k: 1 for k in ELEMENTS[4:]}}
    assert index.ikm == Decimal("88.89") and index.grade.letter == "A"


def test_no_ikm_while_an_element_has_no_answer():
    index = compute_index(responses([4, 4, 4, 4, None, None, None, None, None]))
    assert index.nrr["u5"] is None and index.ikm is None and index.grade is None


@pytest.mark.parametrize("n, total, ikm, letter, words", [
    # IKM = 25 × total / (9 × n), found by hand for each edge of the annex's intervals.
    (38, 889, "64.99", "D", "Tidak Baik"),   # 64.98538… prints 64,99
    (5, 117, "65.00", "C", "Kurang Baik"),   # exactly 65
    (26, 717, "76.60", "C", "Kurang Baik"),  # 76.60256…
    (19, 524, "76.61", "B", "Baik"),         # 76.60818…: unrounded it lies between 76,60 and 76,61
    (19, 604, "88.30", "B", "Baik"),         # 88.30409…
    (24, 763, "88.31", "A", "Sangat Baik"),  # 88.31018…
    (1, 9, "25.00", "D", "Tidak Baik"),
    (1, 36, "100.00", "A", "Sangat Baik"),
])
def test_ikm_and_grade_at_the_interval_edges(n, total, ikm, letter, words):
    index = compute_index(totalling(n, total))
    assert index.ikm_exact == Fraction(25 * total, 9 * n)
    assert index.ikm == Decimal(ikm)
    assert (index.grade.letter, index.grade.words) == (letter, words)


@pytest.mark.parametrize("value, letter", [
    ("64.99", "D"), ("65.00", "C"), ("76.60", "C"), ("76.61", "B"), ("88.30", "B"), ("88.31", "A"),
    # between grid points: graded as the two-decimal value printed beside them
    ("64.994", "D"), ("64.995", "C"), ("76.6049", "C"), ("76.605", "B"), ("88.3049", "B"), ("88.305", "A"),
])
def test_grade_reads_the_rounded_value(value, letter):
    assert grade_for(Decimal(value)).letter == letter


def test_rounding_is_half_up_not_bankers():
    assert round_half_up(Fraction(64995, 1000)) == Decimal("65.00")
    assert round_half_up(Decimal("76.605")) == Decimal("76.61")
    assert round_half_up(Decimal("64.985")) == Decimal("64.99")
    assert round(64.985, 2) == 64.98 and round(76.595, 2) == 76.59  # what floats would print, hence Decimal


def test_out_of_scale_is_refused():
    with pytest.raises(ValueError):
        grade_for(Decimal("24.99"))
    with pytest.raises(ValueError):
        compute_index(responses([5] * 9))


@pytest.mark.parametrize("population, table", [
    (10, 10), (15, 14), (20, 19), (50, 44), (100, 80), (200, 132), (500, 217), (1000, 278), (1200, 291),
    (2800, 338), (5000, 357), (10000, 370), (50000, 381), (75000, 382), (1000000, 384),
])
def test_krejcie_morgan_matches_the_published_table(population, table):
    assert min_respondents(population) == table


def test_krejcie_morgan_100000_is_383_by_the_formula_where_the_table_prints_384():
    # 3.841 × 100000 × 0.25 / (0.0025 × 99999 + 3.841 × 0.25) = 382.63
    assert min_respondents(100000) == 383


def test_no_population_needs_no_respondents():
    assert min_respondents(0) == 0 and min_respondents(1) == 1


@pytest.mark.parametrize("nrr, letter", [
    # the annex's nilai interval (NI) for one element: D 1,00–2,5996, C 2,60–3,064, B 3,0644–3,532, A 3,5324–4,00
    ("2.5996", "D"), ("2.60", "C"), ("3.064", "C"), ("3.0644", "B"), ("3.532", "B"), ("3.5324", "A"), ("4", "A"),
])
def test_an_elements_grade_follows_the_annexs_nilai_interval(nrr, letter):
    assert element_grade(Fraction(nrr)).letter == letter
