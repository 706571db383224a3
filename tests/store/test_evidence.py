"""Evidence is attached only from the ticket's own conversation, and only once."""
from __future__ import annotations

from bot.store.evidence import (
    attach_evidence,
    create_evidence,
    evidence_for,
    get_evidence,
    list_unattached_evidence,
)
from tests.store.factories import make_conversation, make_ticket


def make_evidence(session, conversation, n=1):
    return create_evidence(session, conversation_id=conversation.id, origin="whatsapp",
                           origin_ref=f"https://api.twilio.com/media/ME{n}", stored_path=f"media/{n}.jpg",
                           mime="image/jpeg", size=1000 + n, sha256=f"{n:064d}", file_name=None)


def test_attach_only_own_unattached_evidence(session):
    citizen, mine = make_conversation(session, "+6281111111111")
    _, theirs = make_conversation(session, "+6282222222222")
    photo1, photo2 = make_evidence(session, mine, 1), make_evidence(session, mine, 2)
    foreign = make_evidence(session, theirs, 3)
    assert [e.id for e in list_unattached_evidence(session, mine.id)] == [photo1.id, photo2.id]

    ticket = make_ticket(session, mine, citizen)
    attached = attach_evidence(session, [photo1.id, photo2.id, foreign.id, 999_999], ticket)
    assert attached == [photo1.id, photo2.id]
    assert [e.id for e in evidence_for(ticket)] == [photo1.id, photo2.id]
    assert get_evidence(session, foreign.id).ticket_id is None
    assert get_evidence(session, photo1.id).ticket_id == ticket.id
    assert list_unattached_evidence(session, mine.id) == []

    second = make_ticket(session, mine, citizen, draft_key="d2")
    assert attach_evidence(session, [photo1.id], second) == []  # already on the first ticket
    assert attach_evidence(session, [], second) == []
    assert evidence_for(second) == []
