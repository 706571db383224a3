"""Tables of the counter: inbound events, citizens, conversations, tickets and what hangs off them.

Every timestamp is timezone-aware UTC on the way in and on the way out, on
PostgreSQL (``timestamptz``) and SQLite (stored as naive UTC text) alike.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import JSON, TypeDecorator

CHANNELS = ("whatsapp", "sms", "telegram", "simulator")
DIRECTIONS = ("in", "out")
DELIVERY_STATES = ("queued", "sending", "sent", "delivered", "read", "failed", "undelivered")
TICKET_KINDS = ("complaint", "consultation", "request")
TICKET_STATUSES = ("new", "in_progress", "waiting_citizen", "closed")
IDENTITY_MODES = ("named", "confidential", "anonymous")
ACTOR_KINDS = ("citizen", "officer", "system")
OFFICER_ROLES = ("officer", "supervisor", "admin")
REMINDER_KINDS = ("r50", "r80", "breach", "late_notice")
SURVEY_KINDS = ("complaint", "consultation", "request", "other")
SURVEY_ELEMENTS = ("u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9")
#: The agency of rows written without one: a one-agency deployment's pack (the CONTENT_PACK default).
DEFAULT_AGENCY = "buleleng-kesra"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database; naive values are refused rather than guessed."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime given; pass an aware (UTC) datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            # SQLite keeps text: store naive UTC so that text order is time order.
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


JSONType = JSON().with_variant(JSONB(), "postgresql")
# BIGINT keys on PostgreSQL; SQLite only auto-increments a column declared INTEGER.
Id = BigInteger().with_variant(Integer(), "sqlite")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


class InboundEvent(Base):
    __tablename__ = "inbound_events"
    __table_args__ = (UniqueConstraint("channel", "platform_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    platform_id: Mapped[str] = mapped_column(String(128))
    chat_key: Mapped[str] = mapped_column(String(128), index=True)  # personal data: never log
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    payload: Mapped[dict[str, Any]]
    message: Mapped[dict[str, Any]]
    processed_at: Mapped[datetime | None] = mapped_column(index=True)


class ConversationState(Base):
    """A chat's conversation state as of its last turn; Redis holds the working copy."""

    __tablename__ = "conversation_states"

    chat_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the chat key, not the key
    state: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Citizen(Base):
    __tablename__ = "citizens"
    __table_args__ = (UniqueConstraint("channel", "identity"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    identity: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    consent_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]


class Conversation(Base):
    """One chat with one channel instance: the same phone writing to two agencies' numbers has two."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "instance", "chat_id"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    #: The channel instance (bot.tenancy) the chat is with; replies go out from it.
    instance: Mapped[str] = mapped_column(String(64))
    #: The agency the chat is with now; on a front desk, the one of the service asked about or picked.
    agency_id: Mapped[str] = mapped_column(String(100), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(128))
    last_inbound_at: Mapped[datetime | None]
    lang: Mapped[str] = mapped_column(String(10), default="id")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (
        CheckConstraint(_one_of("direction", DIRECTIONS), name="direction"),
        CheckConstraint(_one_of("delivery_state", DELIVERY_STATES), name="delivery_state"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # None for messages to officers, which belong to no citizen's conversation.
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    body: Mapped[str] = mapped_column(Text, default="")
    # The provider's id; a text split into several parts keeps them comma-separated.
    platform_id: Mapped[str | None] = mapped_column(Text, index=True)
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    delivery_state: Mapped[str] = mapped_column(String(12), default="queued")
    error_code: Mapped[str | None] = mapped_column(String(20))
    media: Mapped[Any | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The outbox: set while a part is on the wire (outcome unknown if a worker dies); parts already out.
    attempted_at: Mapped[datetime | None]
    parts_sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Officer(Base):
    __tablename__ = "officers"
    __table_args__ = (CheckConstraint(_one_of("role", OFFICER_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    agency_id: Mapped[str] = mapped_column(String(100), index=True)  # one agency: never another's tickets
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12), default="officer")
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    whatsapp: Mapped[str | None] = mapped_column(String(20), unique=True)
    units: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("conversation_id", "draft_key"),
        CheckConstraint(_one_of("kind", TICKET_KINDS), name="kind"),
        CheckConstraint(_one_of("status", TICKET_STATUSES), name="status"),
        CheckConstraint(_one_of("identity_mode", IDENTITY_MODES), name="identity_mode"),
        Index("ix_tickets_agency_unit_status", "agency_id", "unit", "status"),
        Index("ix_tickets_status_deadline_at", "status", "deadline_at"),
        Index("ix_tickets_agency_unit_opened_at", "agency_id", "unit", "opened_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    agency_id: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    draft_key: Mapped[str] = mapped_column(String(100))
    service_id: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(100))
    sla_class: Mapped[str] = mapped_column(String(60))
    opened_at: Mapped[datetime]
    deadline_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), index=True)
    identity_mode: Mapped[str] = mapped_column(String(20), default="named")
    reporter_name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str | None] = mapped_column(Text)
    location: Mapped[dict[str, Any] | None]
    occurred: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    lang: Mapped[str] = mapped_column(String(10), default="id")
    last_public_update: Mapped[str | None] = mapped_column(Text)
    last_public_update_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    #: When the SLA watch must look at this ticket next (its next reminder point); None while its clock
    #: is stopped or every reminder is out. The watch reads this index instead of every open ticket.
    next_check_at: Mapped[datetime | None] = mapped_column(index=True)


class TicketCounter(Base):
    """Deployment-wide per prefix: agencies may share ADU/KON/PMH and numbers still never repeat."""

    __tablename__ = "ticket_counters"

    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    __table_args__ = (CheckConstraint(_one_of("actor_kind", ACTOR_KINDS), name="actor_kind"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    agency_id: Mapped[str] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    action: Mapped[str] = mapped_column(String(40))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    agency_id: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(String(20))
    origin_ref: Mapped[str] = mapped_column(Text)  # media URL / file_id: store, never log
    stored_path: Mapped[str] = mapped_column(Text)
    mime: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaReminder(Base):
    __tablename__ = "sla_reminders"
    __table_args__ = (CheckConstraint(_one_of("kind", REMINDER_KINDS), name="kind"),)

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    agency_id: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class Digest(Base):
    __tablename__ = "digests"
    __table_args__ = (Index("ix_digests_agency_unit_sent_at", "agency_id", "unit", "sent_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    agency_id: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]


class SurveyResponse(Base):
    """One SKM response per served transaction; anonymous: no citizen, conversation or chat is kept."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint(_one_of("kind", SURVEY_KINDS), name="kind"),
        *(CheckConstraint(f"{u} BETWEEN 1 AND 4", name=u) for u in SURVEY_ELEMENTS),
        Index("ix_survey_responses_agency_created_at", "agency", "created_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    agency: Mapped[str] = mapped_column(String(100))
    # The ticket or request number the response rates (one response each).
    transaction_ref: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str | None] = mapped_column(String(100))
    service_id: Mapped[str | None] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    u1: Mapped[int | None] = mapped_column(SmallInteger)
    u2: Mapped[int | None] = mapped_column(SmallInteger)
    u3: Mapped[int | None] = mapped_column(SmallInteger)
    u4: Mapped[int | None] = mapped_column(SmallInteger)
    u5: Mapped[int | None] = mapped_column(SmallInteger)
    u6: Mapped[int | None] = mapped_column(SmallInteger)
    u7: Mapped[int | None] = mapped_column(SmallInteger)
    u8: Mapped[int | None] = mapped_column(SmallInteger)
    u9: Mapped[int | None] = mapped_column(SmallInteger)
    gender: Mapped[str | None] = mapped_column(String(10))
    age_band: Mapped[str | None] = mapped_column(String(10))
    education: Mapped[str | None] = mapped_column(String(20))
    occupation: Mapped[str | None] = mapped_column(String(20))
    suggestion: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(10), default="id")
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]
