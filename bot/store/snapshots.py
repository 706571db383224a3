"""Snapshots (``bot.snapshots``) of the rows the store reads: what it returns instead of rows."""
from __future__ import annotations

from bot.snapshots import ConversationSnapshot, OfficerSnapshot, TicketSnapshot

__all__ = ["ConversationSnapshot", "OfficerSnapshot", "TicketSnapshot", "conversation_snapshot", "officer_snapshot",
           "ticket_snapshot"]


def conversation_snapshot(convo) -> ConversationSnapshot:
    """The snapshot of a ``Conversation`` row."""
    return ConversationSnapshot(id=convo.id, channel=convo.channel, instance=convo.instance or convo.channel,
                                chat_id=convo.chat_id, agency_id=convo.agency_id, lang=convo.lang or "id",
                                last_inbound_at=convo.last_inbound_at, citizen_id=convo.citizen_id)


def officer_snapshot(officer) -> OfficerSnapshot:
    """The snapshot of an ``Officer`` row."""
    return OfficerSnapshot(id=officer.id, name=officer.name, role=officer.role, units=tuple(officer.units or ()),
                           agency_id=officer.agency_id, active=bool(officer.active),
                           telegram_user_id=officer.telegram_user_id, whatsapp=officer.whatsapp)


def ticket_snapshot(ticket, assignee=None) -> TicketSnapshot:
    """The snapshot of a ``Ticket`` row (``assignee``: its assignee's ``Officer`` row, for the name)."""
    return TicketSnapshot(id=ticket.id, number=ticket.number, agency_id=ticket.agency_id, status=ticket.status,
                          unit=ticket.unit, sla_class=ticket.sla_class, opened_at=ticket.opened_at,
                          deadline_at=ticket.deadline_at, conversation_id=ticket.conversation_id,
                          lang=ticket.lang or "id", assignee_id=ticket.assignee_id,
                          assignee_name=assignee.name if assignee is not None else None, kind=ticket.kind,
                          category=ticket.category, service_id=ticket.service_id, identity_mode=ticket.identity_mode,
                          reporter_name=ticket.reporter_name, last_public_update=ticket.last_public_update,
                          description=ticket.description or "", place=ticket.place, occurred=ticket.occurred)
