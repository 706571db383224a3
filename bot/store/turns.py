"""What a citizen's message writes before its turn runs, in one transaction and few statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.store.models import Citizen, Conversation, Message, Ticket, utcnow
from bot.store._sql import upsert_insert
from bot.store.citizens import get_or_create_citizen, get_or_create_conversation, touch_inbound

_citizens, _conversations, _messages = Citizen.__table__, Conversation.__table__, Message.__table__


@dataclass(frozen=True)
class Opened:
    conversation_id: int
    citizen_id: int
    agency_id: str
    waiting_ticket_id: int | None  # the newest ticket of this chat waiting for the citizen's answer (/minta)


def open_turn(session: Session, *, channel: str, identity: str, display_name: str | None, chat_id: str,
              instance: str | None, agency_id: str, at: datetime, kind: str, platform_id: str | None) -> Opened:
    """Note a citizen's message: citizen and conversation (created if new), the latest inbound time
    (never moved back), the transcript line (once per platform id), and any ticket waiting on them.

    A known chat takes one SELECT and two writes; a new one goes through ``get_or_create_*`` (race-safe).
    """
    instance = instance or channel
    known = session.execute(
        select(_conversations.c.id, _conversations.c.agency_id, _conversations.c.last_inbound_at,
               _citizens.c.id.label("citizen_id"), _citizens.c.display_name)
        .select_from(_conversations.join(_citizens, _conversations.c.citizen_id == _citizens.c.id))
        .where(_conversations.c.channel == channel, _conversations.c.instance == instance,
               _conversations.c.chat_id == chat_id, _citizens.c.channel == channel,
               _citizens.c.identity == identity)
    ).one_or_none()
    if known is None:
        citizen = get_or_create_citizen(session, channel, identity, display_name)
        convo = get_or_create_conversation(session, citizen, channel, chat_id, instance=instance, agency_id=agency_id)
        touch_inbound(session, convo, at)
        session.flush()
        convo_id, citizen_id, agency = convo.id, citizen.id, convo.agency_id
    else:
        convo_id, citizen_id, agency = known.id, known.citizen_id, known.agency_id
        if known.last_inbound_at is None or at > known.last_inbound_at:
            session.execute(update(_conversations).where(_conversations.c.id == convo_id).values(last_inbound_at=at))
        if display_name and known.display_name is None:
            session.execute(update(_citizens).where(_citizens.c.id == citizen_id).values(display_name=display_name))
    now = utcnow()
    line = dict(conversation_id=convo_id, direction="in", body=kind, platform_id=platform_id,
                delivery_state="delivered", created_at=now, updated_at=now, parts_sent=0)
    if platform_id:
        session.execute(upsert_insert(session, Message).values(key=f"in:{convo_id}:{platform_id}", **line)
                        .on_conflict_do_nothing(index_elements=["key"]))
    else:
        session.execute(_messages.insert().values(**line))
    waiting = session.scalars(select(Ticket.id).where(Ticket.conversation_id == convo_id,
                                                      Ticket.status == "waiting_citizen")
                              .order_by(Ticket.updated_at.desc()).limit(1)).first()
    return Opened(convo_id, citizen_id, agency, waiting)
