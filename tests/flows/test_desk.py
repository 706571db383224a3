"""Which agency a front desk's turn goes to, read from the message against every agency's pack (pure)."""
from __future__ import annotations

import pytest

from bot.content import load_pack
from bot.settings import PROJECT_ROOT
from flows.desk import place
from tests.flows.conftest import make_message

DESK = ("bangli-dpmptsp", "kalbar-kesra", "buleleng-kesra")


@pytest.fixture(scope="module")
def packs():
    return {a: load_pack(PROJECT_ROOT / "content" / a) for a in DESK}


def test_a_service_only_one_agency_has_goes_to_that_agency(packs):
    placed = place(None, make_message("biaya pembinaan masyarakat berapa"), packs, "bangli-dpmptsp")
    assert placed.ask is None and placed.agency == "buleleng-kesra" and placed.state["agency"] == "buleleng-kesra"


def test_a_service_two_agencies_have_is_asked_with_just_those_two(packs):
    placed = place(None, make_message("syarat konsultasi"), packs, "bangli-dpmptsp")
    assert [o.label for o in placed.ask.replies[0].options] == ["Biro Kesra Kalbar", "Kesra Setda Buleleng"]
    picked = place(placed.state, make_message("kesra setda"), packs, "bangli-dpmptsp")
    assert picked.ask is None and picked.agency == "buleleng-kesra" and picked.msg.text == "syarat konsultasi"


def test_once_chosen_the_agency_stays_for_what_names_no_other(packs):
    state = {"lang": "id", "screen": "main", "agency": "kalbar-kesra"}
    for text in ("pengaduan", "jam buka kantor", "halo", "syarat konsultasi"):
        placed = place(state, make_message(text), packs, "kalbar-kesra")
        assert placed.ask is None and placed.agency == "kalbar-kesra", text


def test_inside_a_form_every_message_stays_with_the_form(packs):
    state = {"lang": "id", "screen": "complaint", "agency": "bangli-dpmptsp", "complaint": {"step": "what"}}
    placed = place(state, make_message("petugas pembinaan masyarakat meminta biaya"), packs, "bangli-dpmptsp")
    assert placed.ask is None and placed.agency == "bangli-dpmptsp" and placed.state == state


def test_something_else_typed_at_the_list_goes_on_where_the_chat_was(packs):
    asked = place(None, make_message("pengaduan"), packs, "bangli-dpmptsp")
    assert len(asked.ask.replies[0].options) == 3
    placed = place(asked.state, make_message("menu"), packs, "bangli-dpmptsp")
    assert placed.ask is None and placed.agency == "bangli-dpmptsp" and placed.msg.text == "menu"
    assert "desk" not in placed.state and placed.state["screen"] is None


@pytest.mark.parametrize("text, agency", [
    ("syarat pengaduan masyarakat di dpmptsp apa?", "bangli-dpmptsp"),
    ("syarat konsultasi kesra buleleng", "buleleng-kesra"),
    ("syarat konsultasi di kalbar", "kalbar-kesra"),
])
def test_a_question_that_names_the_agency_goes_there_without_asking(packs, text, agency):
    placed = place(None, make_message(text), packs, "bangli-dpmptsp")
    assert placed.ask is None and placed.agency == agency


def test_a_word_two_agencies_share_names_neither(packs):
    placed = place(None, make_message("syarat konsultasi kesra"), packs, "bangli-dpmptsp")  # Kalbar's and Buleleng's
    assert [o.label for o in placed.ask.replies[0].options] == ["Biro Kesra Kalbar", "Kesra Setda Buleleng"]
