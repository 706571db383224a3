"""Pydantic shapes of a content pack, validated on load.

A pack folder holds ``agency.yaml`` (agency, units, calendar, SLA classes,
complaint categories, WhatsApp templates), ``messages.yaml`` (wording per
language, merged over ``content/_defaults/messages.yaml``) and
``services/*.yaml`` (one service each, the fields of the Parsed service plus
matching keywords, the owning unit and what an online request collects).
"""
from __future__ import annotations

import re
from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9_-]*$"
CHANNEL_KINDS = ("in_person", "box", "letter", "phone", "whatsapp", "fax", "email", "web", "lapor", "social")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Text(Strict):
    """Wording in Bahasa Indonesia with an optional English version."""

    id: str = Field(min_length=1)
    en: str | None = None

    def get(self, lang: str) -> str:
        return (self.en if lang == "en" and self.en else self.id)


class Flow(Strict):
    nodes: dict[str, str]
    edges: list[tuple[str, str]]

    @model_validator(mode="after")
    def _edges_known(self) -> "Flow":
        for a, b in self.edges:
            for node in (a, b):
                if node not in self.nodes:
                    raise ValueError(f"edge names unknown node {node!r}")
        return self


class CompletionTime(Strict):
    text: str
    minutes: int | None = None
    working_days: int | None = None


class FeeItem(Strict):
    """One tariff line: what it is for, its amount in rupiah, per what unit ("unit", "lembar")."""

    text: str
    amount_idr: int | None = None
    unit: str | None = None


class Fee(Strict):
    text: str
    amount_idr: int | None = None
    #: free | amount | items (a tariff list in ``items``) | reference (set by a cited regulation)
    #: | not_stated | unclear; absent in hand-written files.
    kind: Literal["free", "amount", "items", "reference", "not_stated", "unclear"] | None = None
    items: list[FeeItem] = Field(default_factory=list)


class ComplaintChannel(Strict):
    kind: Literal[CHANNEL_KINDS]  # type: ignore[valid-type]
    value: str | None = None


class ComplaintDeadline(Strict):
    class_: str = Field(alias="class")
    hours: int | None = None
    working_days: int | None = None


class RequestField(Strict):
    """One thing an online request asks the citizen for."""

    id: str = Field(pattern=SLUG)
    prompt: Text
    kind: Literal["text", "date", "document"] = "text"
    optional: bool = False


class RequestSpec(Strict):
    """What an online request for this service collects and how long it may take."""

    kind: Literal["booking", "facilitation"]
    label: Text
    fields: list[RequestField] = Field(min_length=1)
    sla_class: str | None = None
    working_days: int | None = None
    hours: int | None = None


class Service(Strict):
    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    name_en: str | None = None
    unit: str
    keywords: list[str] = Field(default_factory=list)
    agency: str | None = None
    requirements: list[str]
    procedure: list[str]
    flow: Flow | None = None
    complaint_flow: Flow | None = None
    completion_time: CompletionTime
    fee: Fee
    products: list[str]
    complaint_channels: list[ComplaintChannel] = Field(default_factory=list)
    complaint_deadlines: list[ComplaintDeadline] = Field(default_factory=list)
    legal_basis: list[str] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    competencies: list[str] = Field(default_factory=list)
    supervision: list[str] = Field(default_factory=list)
    guarantees: list[str] = Field(default_factory=list)
    safety: list[str] = Field(default_factory=list)
    evaluation: list[str] = Field(default_factory=list)
    staff: str | None = None
    request: RequestSpec | None = None
    source: str | None = None
    warnings: list[str] = Field(default_factory=list)

    @property
    def complaint_unit(self) -> str:
        return self.unit


class Unit(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    telegram_chat_id: int | None = None


class SlaClassSpec(Strict):
    id: str = Field(pattern=SLUG)
    name: Text
    hours: int | None = Field(default=None, gt=0)
    working_days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _one_measure(self) -> "SlaClassSpec":
        if (self.hours is None) == (self.working_days is None):
            raise ValueError("give exactly one of hours or working_days")
        return self


class Category(Strict):
    id: str = Field(pattern=SLUG)
    name: Text
    sla_class: str
    unit: str


class Closure(Strict):
    date: date
    name: str


class Template(Strict):
    """An approved WhatsApp template (Twilio Content API) for messages outside the 24-hour window."""

    content_sid: str = Field(pattern=r"^HX[0-9a-fA-F]{32}$")
    variables: list[str] = Field(default_factory=list)


class Agency(Strict):
    id: str = Field(pattern=SLUG)
    name: str
    short_name: str
    address: str | None = None
    timezone: str
    office_hours: dict[str, tuple[time, time]]
    closures: list[Closure] = Field(default_factory=list)
    units: list[Unit] = Field(min_length=1)
    sla_classes: list[SlaClassSpec] = Field(min_length=1)
    complaint_categories: list[Category] = Field(min_length=1)
    ticket_prefixes: dict[Literal["complaint", "consultation", "request"], str] = Field(
        default_factory=lambda: {"complaint": "ADU", "consultation": "KON", "request": "PMH"})
    templates: dict[str, Template] = Field(default_factory=dict)
    digest_time: time = time(7, 30)
    #: Whether the SLA clock stops while a ticket waits for the citizen's answer (/minta).
    pause_while_waiting: bool = True
    #: Fields above that are the agency's own additions, in no standard, until staff confirm them
    #: (e.g. ``office_hours``): the bot says so when it answers with them.
    unconfirmed: list[Literal["address", "office_hours", "complaint_categories"]] = Field(default_factory=list)

    @field_validator("office_hours")
    @classmethod
    def _weekdays(cls, v: dict) -> dict:
        for day, (start, end) in v.items():
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r}; use one of {', '.join(WEEKDAYS)}")
            if start >= end:
                raise ValueError(f"{day}: opening {start} is not before closing {end}")
        return v

    @field_validator("ticket_prefixes")
    @classmethod
    def _prefixes(cls, v: dict) -> dict:
        for kind, prefix in v.items():
            if not re.fullmatch(r"[A-Z]{2,6}", prefix):
                raise ValueError(f"{kind}: prefix {prefix!r} must be 2-6 upper-case letters")
        return v

    def unit(self, unit_id: str) -> Unit | None:
        return next((u for u in self.units if u.id == unit_id), None)

    def sla_class(self, class_id: str) -> SlaClassSpec | None:
        return next((c for c in self.sla_classes if c.id == class_id), None)

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.complaint_categories if c.id == category_id), None)


class Pack(BaseModel):
    """A loaded, cross-checked pack: what the flows and workers read."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    agency: Agency
    services: list[Service]
    messages: dict[str, dict[str, str]]
    intents: dict[str, dict[str, list[str]]] = {}

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def text(self, key: str, lang: str = "id", **values) -> str:
        """The wording for ``key`` in ``lang`` (falling back to Indonesian), formatted with ``values``."""
        table = self.messages.get(lang) or {}
        template = table.get(key) or self.messages["id"].get(key)
        if template is None:
            raise KeyError(f"no wording for {key!r}")
        return template.format(**values) if values else template
