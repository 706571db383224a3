"""The monthly figures of a seeded database equal the hand-computed ones (tests/reports/conftest.py)."""
from __future__ import annotations

from bot.reports.build import gather
from bot.reports.figures import to_json
from bot.reports.periods import month, semester
from tests.reports.conftest import AGENCY, EXPECTED, TZ


def test_november_figures_equal_the_hand_computed_ones(seeded):
    assert to_json(gather(seeded, AGENCY, month("2026-11"), TZ)) == EXPECTED


def test_the_breakdowns_only_files_carry(seeded):
    fig = gather(seeded, AGENCY, month("2026-11"), TZ)
    assert fig.complaints.by_category == {"informasi": 2, "pelayanan": 2, "penyimpangan": 1, "petugas": 1}
    assert fig.complaints.by_unit == {"kesra": 6}
    assert str(fig.complaints.in_time_share) == "50.00"
    assert fig.requests.by_kind == {"consultation": {"received": 2, "served": 1},
                                    "request": {"received": 1, "served": 2}}
    assert fig.skm.completed == 3 and fig.skm.population == 7 and not fig.skm.representative
    assert fig.skm.profile["gender"] == {"male": 1, "female": 1, "none": 2}
    assert fig.skm.profile["age"] == {"u20": 0, "20": 0, "30": 1, "40": 1, "50": 0, "60": 0, "none": 2}
    assert fig.skm.suggestions == ["Pelayanan cepat, terima kasih. WA saya [\u2026]", "Tambah kursi di ruang tunggu"]
    # per unit: all four (84,49); per service: C1 C2 C3 (41/3 + 31/2) / 9 × 25 = 81,02; K1 alone is not shown
    # (its "index" would be one citizen's answers)
    assert {k: (n, str(ikm), grade) for k, (n, ikm, grade) in fig.skm.groups.items()} == {
        ("unit", "kesra"): (4, "84.49", "B"), ("service", "konsultasi"): (1, "None", None),
        ("service", "pembinaan-masyarakat"): (3, "81.02", "B")}
    # NRR × 25 on the same table: 3,50 -> 87,50 is B (A from 88,31), 2,75 -> 68,75 C, 3,67 -> 91,67 A
    assert fig.skm.element_grades == {"u1": "B", "u2": "B", "u3": "C", "u4": "A", "u5": "B", "u6": "A", "u7": "A",
                                      "u8": "C", "u9": "B"}


def test_a_month_without_anything_has_zeros_and_no_ikm(seeded):
    figures = to_json(gather(seeded, AGENCY, month("2026-08"), TZ))
    assert figures["complaints"]["received"] == 0 and figures["complaints"]["median_hours_to_close"] is None
    assert figures["skm"] == {"responses": 0, "min_respondents": 0, "nrr": {f"u{i}": None for i in range(1, 10)},
                              "ikm": None, "grade": None, "grade_words": None}


def test_the_second_semester_holds_october_and_november(seeded):
    figures = to_json(gather(seeded, AGENCY, semester("2026-2"), TZ))
    assert figures["period"] == "2026-2"
    assert figures["complaints"]["received"] == 10  # November's six and C6 C9 C10 from October; C8 is December's
    assert figures["skm"]["responses"] == 5  # October's all-1 response too
