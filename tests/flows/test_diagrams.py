"""Each form's .mmd diagram names exactly the states of its table, so the drawing cannot drift from the code."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from flows import complaint, request, survey

FLOWS = Path(complaint.__file__).resolve().parent
EDGE = re.compile(r"^\s*(\S+)\s*-->\s*([^:\s]+)")


def diagram(name: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The states and the edges (from, to) drawn in ``flows/<name>.mmd`` ([*] left out)."""
    edges = set()
    for line in (FLOWS / f"{name}.mmd").read_text(encoding="utf-8").splitlines():
        m = EDGE.match(line)
        if m:
            edges.add((m.group(1), m.group(2)))
    states = {s for edge in edges for s in edge} - {"[*]"}
    return states, edges


@pytest.mark.parametrize("name, table, drawn_elsewhere", [
    ("complaint", complaint.STATES, set()),
    ("request", request.STATES, set()),
    # The invitation to the survey is flows/events.py's screen; the diagram shows where the survey starts from.
    ("survey", survey.STATES, {"invite"}),
])
def test_the_diagram_names_exactly_the_tables_states(name, table, drawn_elsewhere):
    states, _ = diagram(name)
    assert states == set(table) | drawn_elsewhere


@pytest.mark.parametrize("name, table", [("complaint", complaint.STATES), ("survey", survey.STATES)])
def test_every_fixed_next_of_the_table_is_drawn(name, table):
    _, edges = diagram(name)
    for state, spec in table.items():
        if isinstance(spec.next, str):
            assert (state, spec.next) in edges, f"{name}: {state} --> {spec.next} is not drawn"


def test_the_complaints_conditional_transitions_are_drawn():
    _, edges = diagram("complaint")
    for identity in complaint.IDENTITIES:
        target = complaint.STATES["identity"].next({"identity": identity})
        assert ("identity", target) in edges
    for field in complaint.EDITABLE:
        assert ("edit", field) in edges
