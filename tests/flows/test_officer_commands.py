"""The officer commands' decisions, from plain snapshots: replies, changes, effects; no database."""
from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.snapshots import OfficerSnapshot, TicketSnapshot
from flows.officer import parse
from flows.officer_commands import Desk, Words, decide
from tests.flows.conftest import NOW

BUDI = OfficerSnapshot(id=1, name="Budi Petugas", role="officer", units=("kesra",), agency_id="buleleng-kesra")
SARI = OfficerSnapshot(id=2, name="Sari Supervisor", role="supervisor", units=("kesra",), agency_id="buleleng-kesra")
DEWI = OfficerSnapshot(id=3, name="Dewi Petugas", role="officer", units=("kesra",), agency_id="buleleng-kesra")
ANDI = OfficerSnapshot(id=4, name="Andi Umum", role="officer", units=("umum",), agency_id="buleleng-kesra")
TICKET = TicketSnapshot(id=10, number="ADU-2611-0042", agency_id="buleleng-kesra", status="new", unit="kesra",
                        sla_class="standard", opened_at=NOW, deadline_at=NOW + timedelta(days=5),
                        conversation_id=7, lang="en")
IN_PROGRESS = replace(TICKET, status="in_progress", assignee_id=1, assignee_name="Budi Petugas")
CLOSED = replace(TICKET, status="closed", assignee_id=1, assignee_name="Budi Petugas")
TAKEN_BY_DEWI = replace(TICKET, status="in_progress", assignee_id=3, assignee_name="Dewi Petugas")
N = TICKET.number


def desk(officer=BUDI, ticket=TICKET, pack=None, **kw) -> Desk:
    classes = tuple(pack.agency.sla_classes) if pack is not None else ()
    deadlines = {c.id: NOW + timedelta(days=i + 1) for i, c in enumerate(classes)}
    return Desk(officer, ticket, NOW, "Asia/Makassar", classes, deadlines, kw.pop("unit_officers", (BUDI, SARI, DEWI)))


def changes(decision) -> list[tuple[str, dict]]:
    return [(c.type, c.data) for c in decision.changes]


@pytest.mark.parametrize("text, officer, ticket, reply", [
    # Who may see the ticket: the same answer for no ticket, another unit's, another agency's (None).
    (f"/lihat {N}", ANDI, TICKET, Words("officer_not_found", {"number": N})),
    (f"/ambil {N}", BUDI, None, Words("officer_not_found", {"number": N})),
    (f"/catatan {N} cek", ANDI, TICKET, Words("officer_not_found", {"number": N})),
    # Closed tickets take no more work, notes excepted.
    (f"/ambil {N}", BUDI, CLOSED, Words("officer_closed_already", {"number": N})),
    (f"/balas {N} Sudah kami cek", BUDI, CLOSED, Words("officer_closed_already", {"number": N})),
    (f"/tutup {N} Selesai", BUDI, CLOSED, Words("officer_closed_already", {"number": N})),
    # Someone else's ticket is not taken over by /ambil.
    (f"/ambil {N}", BUDI, TAKEN_BY_DEWI, Words("officer_taken_by_other", {"number": N, "name": "Dewi Petugas"})),
    # Only supervisors reassign and reclassify.
    (f"/alihkan {N} Dewi", BUDI, TICKET, Words("officer_not_allowed", {})),
    (f"/kelas {N} cepat", BUDI, TICKET, Words("officer_not_allowed", {})),
    (f"/alihkan {N} Tono", SARI, TICKET, Words("officer_unknown_officer", {"name": "Tono"})),
    # Incomplete commands say what is missing.
    ("/ambil", BUDI, None, Words("officer_need_number", {"number": "", "classes": ""})),
])
def test_refusals_change_nothing(text, officer, ticket, reply):
    decision = decide(parse(text), desk(officer, ticket))
    assert decision.replies == [reply]
    assert decision.changes == [] and decision.effects == []


@pytest.mark.parametrize("text, officer, ticket, expected_changes, reply_key", [
    (f"/ambil {N}", BUDI, TICKET, [("assign", {"officer_id": 1}), ("set_status", {"status": "in_progress"})],
     "officer_taken"),
    (f"/ambil {N}", BUDI, IN_PROGRESS, [("assign", {"officer_id": 1})], "officer_taken"),
    (f"/alihkan {N} dewi", SARI, TICKET, [("assign", {"officer_id": 3}), ("set_status", {"status": "in_progress"})],
     "officer_assigned"),
    (f"/alihkan {N} 3", SARI, IN_PROGRESS, [("assign", {"officer_id": 3})], "officer_assigned"),
    (f"/catatan {N} Warga sudah ditelepon", BUDI, CLOSED,
     [("add_event", {"action": "noted", "text": "Warga sudah ditelepon", "public": False})], "officer_noted"),
    (f"/balas {N} Sudah kami cek", BUDI, TICKET,
     [("assign", {"officer_id": 1}), ("add_event", {"action": "replied", "text": "Sudah kami cek", "public": True}),
      ("set_status", {"status": "in_progress"})], "officer_replied"),
    (f"/minta {N} Mohon foto lokasi", BUDI, IN_PROGRESS,
     [("add_event", {"action": "info_requested", "text": "Mohon foto lokasi", "public": True}),
      ("wait_for_citizen", {"since": NOW}), ("set_status", {"status": "waiting_citizen"})], "officer_asked"),
    (f"/tutup {N} Sudah ditindak", BUDI, TAKEN_BY_DEWI,
     [("add_event", {"action": "answered", "text": "Sudah ditindak", "public": True}),
      ("set_status", {"status": "closed"})], "officer_close_done"),
])
def test_what_each_command_changes(text, officer, ticket, expected_changes, reply_key):
    decision = decide(parse(text), desk(officer, ticket))
    assert changes(decision) == expected_changes
    assert [w.key for w in decision.replies] == [reply_key]


@pytest.mark.parametrize("text, effects", [
    (f"/balas {N} Sudah kami cek", ["tell_citizen"]),
    (f"/minta {N} Mohon foto", ["tell_citizen"]),
    (f"/tutup {N} Selesai", ["tell_citizen", "invite_survey"]),
    (f"/lihat {N}", ["show_ticket"]),
    (f"/alihkan {N} Dewi", ["tell_officer"]),
    (f"/alihkan {N} Sari", []),  # to oneself: nobody else to tell
])
def test_what_goes_out_after_the_commit(text, effects):
    assert [e.type for e in decide(parse(text), desk(SARI, TICKET)).effects] == effects


def test_the_citizen_is_told_in_their_language_with_a_fallback_reply():
    decision = decide(parse(f"/balas {N} Sudah kami cek"), desk())
    tell = decision.effects[0].data
    assert tell["lang"] == "en" and tell["words"] == Words("officer_reply", {"number": N, "text": "Sudah kami cek"})
    assert tell["if_failed"].key == "officer_reply_pending"


def test_a_name_prefix_matching_two_officers_is_refused():
    decision = decide(parse(f"/alihkan {N} d"), desk(SARI, unit_officers=(DEWI, replace(DEWI, id=5, name="Dodi"))))
    assert decision.replies == [Words("officer_unknown_officer", {"name": "d"})]


@pytest.mark.parametrize("text, which, status, assignee, overdue", [
    ("/tiket", "open", ("new", "in_progress", "waiting_citizen"), None, None),
    ("/tiket baru", "new", ("new",), None, None),
    ("/tiket saya", "mine", ("new", "in_progress", "waiting_citizen"), 1, None),
    ("/tiket terlambat", "overdue", ("new", "in_progress", "waiting_citizen"), None, NOW),
    ("/tickets all", "all", None, None, None),
    ("/tiket apa", "open", ("new", "in_progress", "waiting_citizen"), None, None),
])
def test_list_filters(text, which, status, assignee, overdue):
    effect, = decide(parse(text), desk(ticket=None)).effects
    assert effect.data == {"which": which, "status": status, "assignee_id": assignee, "overdue_at": overdue}


def test_reclassify_by_id_or_name_with_the_new_deadline(pack):
    spec = pack.agency.sla_classes[-1]
    d = desk(SARI, TICKET, pack)
    for wanted in (spec.id, spec.name.id.lower(), spec.id[:3]):
        decision = decide(parse(f"/kelas {N} {wanted}"), d)
        assert changes(decision) == [("reclassify", {"sla_class": spec.id, "deadline_at": d.deadlines[spec.id]})]
        assert decision.replies[0].key == "officer_reclassified"
        assert decision.replies[0].values["sla"] == spec.name.id


def test_unknown_class_lists_the_agencys_classes(pack):
    decision = decide(parse(f"/kelas {N} kilat"), desk(SARI, TICKET, pack))
    assert decision.replies == [Words("officer_unknown_class", {
        "name": "kilat", "classes": ", ".join(c.id for c in pack.agency.sla_classes)})]
    assert decision.changes == []


def test_help():
    assert decide(parse("/bantuan"), desk(ticket=None)).replies == [Words("officer_help")]


@pytest.mark.parametrize("text, officer, expected", [
    ("/ikm", SARI, [("show_figures", {"name": "ikm", "period": ""})]),
    ("/laporan Oktober 2026", SARI, [("show_figures", {"name": "report", "period": "Oktober 2026"})]),
    ("/ikm", BUDI, []),
    ("/laporan", replace(SARI, active=False), []),
])
def test_figures_for_active_supervisors_only(text, officer, expected):
    decision = decide(parse(text), desk(officer, None))
    assert [(e.type, e.data) for e in decision.effects] == expected
    assert decision.replies == ([] if expected else [Words("officer_not_allowed")])
