"""Citizens, their conversations, consent and erasure on request (UU 27/2022)."""
from __future__ import annotations

import functools
from datetime import datetime

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot.store.models import DEFAULT_AGENCY, Citizen, Conversation, InboundEvent, Message, Ticket, utcnow
from bot.store._sql import dialect_of, insert_for
from bot.tenancy.channels import chat_key


@functools.cache
def insert_citizen(dialect: str):
    """A citizen unless (channel, identity) is known: INSERT … ON CONFLICT DO NOTHING RETURNING its id.

    Parameters ``p_channel``, ``p_identity``, ``p_name``, ``p_now``. Built once per dialect; also the
    first message's path (bot.store.turns).
    """
    return (insert_for(dialect, Citizen)
            .values(channel=bindparam("p_channel"), identity=bindparam("p_identity"),
                    display_name=bindparam("p_name"), created_at=bindparam("p_now"))
            .on_conflict_do_nothing(index_elements=["channel", "identity"]).returning(Citizen.__table__.c.id))


@functools.cache
def insert_conversation(dialect: str):
    """A conversation unless (channel, instance, chat_id) is known: RETURNING its id and agency.

    Parameters ``p_citizen``, ``p_channel``, ``p_instance``, ``p_agency``, ``p_chat``, ``p_lang``,
    ``p_at`` (the latest inbound time, or None) and ``p_now``.
    """
    table = Conversation.__table__
    return (insert_for(dialect, Conversation)
            .values(citizen_id=bindparam("p_citizen"), channel=bindparam("p_channel"),
                    instance=bindparam("p_instance"), agency_id=bindparam("p_agency"), chat_id=bindparam("p_chat"),
                    lang=bindparam("p_lang"), last_inbound_at=bindparam("p_at"), created_at=bindparam("p_now"))
            .on_conflict_do_nothing(index_elements=["channel", "instance", "chat_id"])
            .returning(table.c.id, table.c.agency_id))


def get_or_create_citizen(session: Session, channel: str, identity: str,
                          display_name: str | None = None) -> Citizen:
    """Return the citizen known by (channel, identity), creating them if new; safe under races.

    ``display_name`` is only kept for a new citizen or one who has none yet.
    """
    if not identity:
        raise ValueError("identity is required")
    citizen = _find_citizen(session, channel, identity)
    if citizen is None:
        session.execute(insert_citizen(dialect_of(session)), {"p_channel": channel, "p_identity": identity,
                                                              "p_name": display_name, "p_now": utcnow()})
        citizen = _find_citizen(session, channel, identity)
        assert citizen is not None  # inserted above, or by whoever won the race
    elif display_name and citizen.display_name is None:
        citizen.display_name = display_name
    return citizen


def _find_citizen(session: Session, channel: str, identity: str) -> Citizen | None:
    return session.scalars(
        select(Citizen).where(Citizen.channel == channel, Citizen.identity == identity)
    ).one_or_none()


def get_or_create_conversation(session: Session, citizen: Citizen, channel: str, chat_id: str,
                               lang: str = "id", *, instance: str | None = None,
                               agency_id: str = DEFAULT_AGENCY) -> Conversation:
    """Return the conversation for (channel, instance, chat_id), creating it for ``citizen`` if new; race-safe.

    ``instance`` is the channel instance the chat is with (default: the channel's own default instance):
    one phone writing to two agencies' numbers has two conversations. ``agency_id`` is only the new
    conversation's first agency; an existing one keeps its own (see :func:`set_conversation_agency`).
    """
    if not chat_id:
        raise ValueError("chat_id is required")
    instance = instance or channel
    conversation = _find_conversation(session, channel, instance, chat_id)
    if conversation is None:
        session.execute(insert_conversation(dialect_of(session)), {
            "p_citizen": citizen.id, "p_channel": channel, "p_instance": instance, "p_agency": agency_id,
            "p_chat": chat_id, "p_lang": lang, "p_at": None, "p_now": utcnow()})
        conversation = _find_conversation(session, channel, instance, chat_id)
        assert conversation is not None
    return conversation


def _find_conversation(session: Session, channel: str, instance: str, chat_id: str) -> Conversation | None:
    return session.scalars(
        select(Conversation).where(Conversation.channel == channel, Conversation.instance == instance,
                                   Conversation.chat_id == chat_id)
    ).one_or_none()


def set_conversation_agency(session: Session, conversation_id: int, agency_id: str) -> None:
    """Make ``agency_id`` the conversation's agency (a front desk's citizen asked about its service)."""
    session.execute(update(Conversation).where(Conversation.id == conversation_id).values(agency_id=agency_id))


def get_conversation(session: Session, conversation_id: int) -> Conversation | None:
    """Return the conversation with this id, or None."""
    return session.get(Conversation, conversation_id)


def touch_inbound(session: Session, conversation: Conversation, at: datetime) -> None:
    """Note the citizen's latest message time (WhatsApp's 24-hour window); never moves backwards."""
    if conversation.last_inbound_at is None or at > conversation.last_inbound_at:
        conversation.last_inbound_at = at


def record_consent(session: Session, citizen: Citizen, at: datetime | None = None) -> None:
    """Record that the citizen agreed to their data being stored (first agreement wins)."""
    if citizen.consent_at is None:
        citizen.consent_at = at or utcnow()


def erase_citizen(session: Session, citizen: Citizen, *, forget_contact: bool = False,
                  at: datetime | None = None) -> None:
    """Erase a citizen's personal data on request.

    Clears their display name, consent, the reporter name on their tickets,
    the raw inbound payloads and message texts of their conversations, and
    marks them erased. Tickets themselves (the agency's record) stay.

    With ``forget_contact`` the phone number / chat id is replaced as well, so
    nothing can be sent to them any more and a new message starts afresh; leave
    it False until the "your data is erased" reply has gone out.
    """
    conversations = session.scalars(select(Conversation).where(Conversation.citizen_id == citizen.id)).all()
    conversation_ids = [c.id for c in conversations]
    chat_keys = [chat_key(c.channel, c.chat_id, c.instance) for c in conversations]

    session.execute(
        update(Ticket)
        .where(or_(Ticket.citizen_id == citizen.id, Ticket.conversation_id.in_(conversation_ids)))
        .values(reporter_name=None)
        .execution_options(synchronize_session="fetch")
    )
    if chat_keys:
        session.execute(
            update(InboundEvent).where(InboundEvent.chat_key.in_(chat_keys))
            .values(payload={"erased": True}, message={"erased": True})
            .execution_options(synchronize_session="fetch")
        )
    if conversation_ids:
        session.execute(
            update(Message).where(Message.conversation_id.in_(conversation_ids))
            .values(body="", media=None)
            .execution_options(synchronize_session="fetch")
        )
    citizen.display_name = None
    citizen.consent_at = None
    citizen.erased_at = at or utcnow()
    if forget_contact:
        citizen.identity = f"erased:{citizen.id}"
        for conversation in conversations:
            conversation.chat_id = f"erased:{conversation.id}"
        session.execute(
            update(InboundEvent).where(InboundEvent.chat_key.in_(chat_keys))
            .values(chat_key="erased")
            .execution_options(synchronize_session="fetch")
        )
    session.flush()
