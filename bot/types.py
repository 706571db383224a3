"""The data that crosses boundaries: what a channel parses a payload into, and what a flow answers.

Channels (bot/channels), webhooks, workers and flows all speak these types, so they live in the domain
package; nothing in bot/ imports flows/ or workers/.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

#: Message kinds every channel adapter maps its payloads onto.
KINDS = ("text", "media", "location", "callback", "sticker", "contact", "voice", "video", "unsupported",
         "mms")  # mms: an SMS with media, which does not arrive in Indonesia


@dataclass(frozen=True)
class Media:
    """An attachment as the channel announced it, and (after the worker fetched it) what it really is."""

    ref: str  # Twilio media URL or Telegram file_id
    content_type: str | None = None
    size: int | None = None
    file_name: str | None = None
    # Filled by the worker before the flow sees it (never by the webhook):
    evidence_id: int | None = None
    refused: str | None = None  # reason key: type, size, mismatch, download
    detail: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    label: str | None = None


@dataclass(frozen=True)
class Message:
    """One inbound event from any channel, normalised."""

    channel: str  # whatsapp | telegram | simulator
    chat_id: str  # where replies go: E.164 phone for WhatsApp, chat id for Telegram
    sender_id: str
    kind: str = "text"
    text: str = ""
    media: tuple[Media, ...] = ()
    location: Location | None = None
    callback_data: str | None = None
    sender_name: str | None = None
    received_at: datetime | None = None
    platform_id: str = ""
    group: bool = False
    ack_token: str | None = None  # e.g. Telegram callback_query id, to stop the button's spinner
    #: The channel instance (bot.tenancy) it arrived on; "" for the channel's default one. Replies go out
    #: from the same instance, and it is part of the chat's key.
    instance: str = ""

    def to_dict(self) -> dict[str, Any]:
        # Field by field rather than ``asdict`` (which deep-copies every value): this runs on every webhook.
        data = {f.name: getattr(self, f.name) for f in _MESSAGE_FIELDS}
        data["media"] = tuple(asdict(m) for m in self.media)
        data["location"] = asdict(self.location) if self.location else None
        data["received_at"] = self.received_at.isoformat() if self.received_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Message":
        data = dict(data)
        data["media"] = tuple(Media(**m) for m in data.get("media") or ())
        loc = data.get("location")
        data["location"] = Location(**loc) if loc else None
        if data.get("received_at"):
            data["received_at"] = datetime.fromisoformat(data["received_at"])
        return cls(**data)


_MESSAGE_FIELDS = fields(Message)


@dataclass(frozen=True)
class Option:
    key: str  # what the citizen types (or the button sends): "1", "2", ...
    label: str


@dataclass(frozen=True)
class Reply:
    """One message to send. Channels render ``options`` as buttons or a numbered list."""

    text: str
    options: tuple[Option, ...] = ()
    image: dict | None = None  # {"kind": "flowchart", "service": id}
    document: dict | None = None  # {"kind": "report", "file": "buleleng-kesra-2026-11.pdf"}; the text is its caption
    menu_token: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Reply":
        data = dict(data)
        data["options"] = tuple(Option(**o) for o in data.get("options") or ())
        return cls(**data)


@dataclass(frozen=True)
class Effect:
    """Something a worker must do with the outside world: ``type`` names it, ``data`` says what."""

    type: str
    data: dict = field(default_factory=dict)
