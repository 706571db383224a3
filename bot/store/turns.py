"""What a citizen's message writes before its turn runs, in one transaction and few statements."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import Citizen, Conversation, Message, Ticket, utcnow
from bot.store._sql import dialect_of, insert_for
from bot.store.citizens import insert_citizen, insert_conversation
from bot.store.hot import run

_citizens, _conversations, _messages = Citizen.__table__, Conversation.__table__, Message.__table__
_tickets = Ticket.__table__


@dataclass(frozen=True)
class Opened:
    conversation_id: int
    citizen_id: int
    agency_id: str
    waiting_ticket_id: int | None  # the newest ticket of this chat waiting for the citizen's answer (/minta)
    # This message created the conversation: the chat has had no turn, so no state was ever saved for it.
    created: bool = False


def open_turn(session: Session, *, channel: str, identity: str, display_name: str | None, chat_id: str,
              instance: str | None, agency_id: str, at: datetime, kind: str, platform_id: str | None) -> Opened:
    """Note a citizen's message: citizen and conversation (created if new), the latest inbound time
    (never moved back), the transcript line (once per platform id), and any ticket waiting on them.

    A known chat takes one SELECT (the waiting ticket with it) and two writes; a new one two INSERTs …
    RETURNING (race-safe).
    """
    instance = instance or channel
    conn = session.connection()
    known = run(conn, _KNOWN, {"p_channel": channel, "p_instance": instance, "p_chat": chat_id,
                               "p_identity": identity}).one_or_none()
    if known is None:
        convo_id, citizen_id, agency, new = _first_turn(session, conn, channel=channel, identity=identity,
                                                        display_name=display_name, chat_id=chat_id,
                                                        instance=instance, agency_id=agency_id, at=at)
        # A conversation created just now has no tickets; one a racing first message created may.
        waiting = None if new else run(conn, _WAITING, {"p_convo": convo_id}).scalar()
    else:
        new = False
        convo_id, citizen_id, agency, waiting = known.id, known.citizen_id, known.agency_id, known.waiting
        if known.last_inbound_at is None or at > known.last_inbound_at:
            run(conn, _TOUCH, {"p_id": convo_id, "p_at": at})
        if display_name and known.display_name is None:
            run(conn, _NAME, {"p_id": citizen_id, "p_name": display_name})
    line = {"p_convo": convo_id, "p_body": kind, "p_pid": platform_id, "p_now": utcnow()}
    if platform_id:
        run(conn, _line(dialect_of(session)), {**line, "p_key": f"in:{convo_id}:{platform_id}"})
    else:
        run(conn, _LINE, line)
    return Opened(convo_id, citizen_id, agency, waiting, created=new)


def _first_turn(session: Session, conn, *, channel: str, identity: str, display_name: str | None, chat_id: str,
                instance: str, agency_id: str, at: datetime) -> tuple[int, int, str, bool]:
    """A chat's first message: its citizen and conversation, each inserted unless it exists (race-safe:
    INSERT … ON CONFLICT DO NOTHING RETURNING, else the row whoever won wrote). (conversation, citizen,
    agency, whether this message created the conversation)."""
    dialect = dialect_of(session)
    citizen_id = run(conn, insert_citizen(dialect), {"p_channel": channel, "p_identity": identity,
                                                   "p_name": display_name, "p_now": utcnow()}).scalar()
    if citizen_id is None:  # known on this channel already (another instance's chat), or a racing first message
        citizen_id, name = run(conn, _CITIZEN, {"p_channel": channel, "p_identity": identity}).one()
        if display_name and name is None:
            run(conn, _NAME, {"p_id": citizen_id, "p_name": display_name})
    row = run(conn, insert_conversation(dialect), {
        "p_citizen": citizen_id, "p_channel": channel, "p_instance": instance, "p_agency": agency_id,
        "p_chat": chat_id, "p_lang": "id", "p_at": at, "p_now": utcnow()}).one_or_none()
    new = row is not None
    if row is None:  # a racing first message wrote it
        row = run(conn, _CONVERSATION, {"p_channel": channel, "p_instance": instance, "p_chat": chat_id}).one()
        if at is not None and (row.last_inbound_at is None or at > row.last_inbound_at):
            run(conn, _TOUCH, {"p_id": row.id, "p_at": at})
    return row.id, citizen_id, row.agency_id, new


_CITIZEN = select(_citizens.c.id, _citizens.c.display_name).where(
    _citizens.c.channel == bindparam("p_channel"), _citizens.c.identity == bindparam("p_identity"))
_CONVERSATION = select(_conversations.c.id, _conversations.c.agency_id, _conversations.c.last_inbound_at).where(
    _conversations.c.channel == bindparam("p_channel"), _conversations.c.instance == bindparam("p_instance"),
    _conversations.c.chat_id == bindparam("p_chat"))


def _newest_waiting(conversation_id):
    """The newest ticket of the conversation ``conversation_id`` (a parameter or a column) waiting for the
    citizen's answer."""
    return (select(_tickets.c.id).where(_tickets.c.conversation_id == conversation_id,
                                        _tickets.c.status == "waiting_citizen")
            .order_by(_tickets.c.updated_at.desc()).limit(1))


_WAITING = _newest_waiting(bindparam("p_convo"))
# Read with the known conversation: one statement fewer a turn.
_WAITING_OF = _newest_waiting(_conversations.c.id).correlate(_conversations).scalar_subquery()
_KNOWN = (select(_conversations.c.id, _conversations.c.agency_id, _conversations.c.last_inbound_at,
                 _citizens.c.id.label("citizen_id"), _citizens.c.display_name, _WAITING_OF.label("waiting"))
          .select_from(_conversations.join(_citizens, _conversations.c.citizen_id == _citizens.c.id))
          .where(_conversations.c.channel == bindparam("p_channel"),
                 _conversations.c.instance == bindparam("p_instance"),
                 _conversations.c.chat_id == bindparam("p_chat"), _citizens.c.channel == bindparam("p_channel"),
                 _citizens.c.identity == bindparam("p_identity")))
_NAME = update(_citizens).where(_citizens.c.id == bindparam("p_id")).values(display_name=bindparam("p_name"))
# Never backwards, decided by the UPDATE itself: two racing writers cannot leave the older time behind.
_TOUCH = (update(_conversations)
          .where(_conversations.c.id == bindparam("p_id"),
                 or_(_conversations.c.last_inbound_at.is_(None), _conversations.c.last_inbound_at < bindparam("p_at")))
          .values(last_inbound_at=bindparam("p_at")))
_LINE_VALUES = dict(conversation_id=bindparam("p_convo"), direction="in", body=bindparam("p_body"),
                    platform_id=bindparam("p_pid"), delivery_state="delivered", created_at=bindparam("p_now"),
                    updated_at=bindparam("p_now"), parts_sent=0)
_LINE = _messages.insert().values(**_LINE_VALUES)


@functools.cache
def _line(dialect: str):
    """The transcript line, once per platform id (a redelivered message is not written twice)."""
    return (insert_for(dialect, Message).values(key=bindparam("p_key"), **_LINE_VALUES)
            .on_conflict_do_nothing(index_elements=["key"]))
