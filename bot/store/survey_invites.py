"""Which served transaction a conversation may rate: the lookups behind survey invitations.

The survey stays anonymous: these functions read tickets and conversations to
decide *whether* and *where* to invite, and return nothing that is stored with
the response (``bot.store.surveys`` never takes a conversation or citizen).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.models import Citizen, Conversation, SurveyResponse, Ticket


@dataclass(frozen=True)
class Invitation:
    """A served transaction to rate, and the conversation the invitation goes to."""

    conversation_id: int
    number: str
    kind: str
    unit: str | None
    service_id: str | None
    lang: str

    def survey_args(self) -> dict:
        """The arguments of ``flows.survey.start_survey`` for this transaction."""
        return {"transaction_ref": self.number, "kind": self.kind, "unit": self.unit, "service": self.service_id}


def _rated(session: Session, number: str) -> bool:
    return session.scalar(select(SurveyResponse.id).where(SurveyResponse.transaction_ref == number)) is not None


def _reachable(session: Session, conversation_id: int | None) -> bool:
    """A conversation to write to whose citizen has not had their data erased."""
    if conversation_id is None:
        return False
    convo = session.get(Conversation, conversation_id)
    if convo is None:
        return False
    citizen = session.get(Citizen, convo.citizen_id)
    return citizen is not None and citizen.erased_at is None


def _invitation(ticket: Ticket) -> Invitation:
    return Invitation(ticket.conversation_id, ticket.number, ticket.kind, ticket.unit, ticket.service_id,
                      ticket.lang or "id")


def invitation_for_ticket(sessions: sessionmaker[Session], ticket_id: int) -> Invitation | None:
    """The invitation for a served ticket; None when it is open, rated already, or its citizen is unreachable."""
    with session_scope(sessions) as session:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.status != "closed" or not _reachable(session, ticket.conversation_id):
            return None
        if _rated(session, ticket.number):
            return None  # one response per served transaction
        return _invitation(ticket)


def latest_unrated(sessions: sessionmaker[Session], conversation_id: int) -> Invitation | None:
    """The conversation's most recently served transaction that has no response yet, or None."""
    with session_scope(sessions) as session:
        if not _reachable(session, conversation_id):
            return None
        rated = select(SurveyResponse.transaction_ref)
        ticket = session.scalars(
            select(Ticket).where(Ticket.conversation_id == conversation_id, Ticket.status == "closed",
                                 Ticket.number.not_in(rated))
            .order_by(Ticket.closed_at.desc(), Ticket.id.desc()).limit(1)).first()
        return _invitation(ticket) if ticket is not None else None
