"""The forms' state tables are what the step-by-step tests walk: the order, where an answer leads, where
"kembali" leads."""
from __future__ import annotations

import pytest

from flows import complaint, request, survey
from flows.common import follow
from tests.flows.test_complaint import BACK, STEPS


def walk(states: dict, first: str, draft: dict) -> list[str]:
    """The states from ``first`` following each one's ``next`` for ``draft``."""
    path = [first]
    while (following := follow(states[path[-1]].next, draft)) is not None:
        path.append(following)
    return path


def test_the_complaint_table_is_the_form_the_tests_walk():
    assert list(complaint.STATES) == list(STEPS)
    assert walk(complaint.STATES, "consent", {"identity": "named"}) == [s for s in STEPS if s != "edit"]
    assert walk(complaint.STATES, "consent", {"identity": "anonymous"})[-2:] == ["identity", "summary"]
    for state, back in BACK.items():
        assert follow(complaint.STATES[state].back, {"identity": "named"}) == back
    assert complaint.STATES["consent"].back is None  # "kembali" there leaves the form


@pytest.mark.parametrize("state, kind", [("description", "free_text"), ("place", "free_text"), ("time", "free_text"),
                                         ("name", "free_text"), ("evidence", "files"), ("category", "choice"),
                                         ("identity", "choice"), ("consent", "choice"), ("summary", "choice")])
def test_complaint_states_say_what_a_word_may_be(state, kind):
    assert complaint.STATES[state].kind == kind


def test_the_survey_table_walks_the_questionnaire_in_order_and_back():
    assert tuple(survey.STATES) == survey.ORDER
    assert walk(survey.STATES, survey.ORDER[0], {}) == list(survey.ORDER)
    assert [survey.STATES[s].back for s in survey.ORDER[1:]] == list(survey.ORDER[:-1])
    assert survey.STATES[survey.ORDER[0]].back == survey.ORDER[0]  # the first question stays put


def test_request_states_cover_every_kind_of_field_in_the_content(pack):
    kinds = {f.kind for s in pack.services if s.request is not None for f in s.request.fields}
    assert kinds <= set(request.STATES) - set(request.FIXED)
    assert request.STATES["edit"].back == "summary"
