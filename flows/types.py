"""What a flow reads and returns: its Context and Result, and the domain types it speaks (bot.types)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.answering import Index, index_for
from bot.content import Pack
from bot.types import KINDS, Effect, Location, Media, Message, Option, Reply

__all__ = ["KINDS", "Context", "Effect", "Location", "Media", "Message", "Option", "Reply", "Result"]


@dataclass
class Result:
    state: dict
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    """What a flow may read besides the message and its state."""

    pack: Pack
    now: datetime
    shows_images: bool = True
    media_limit_bytes: int = 10 * 1024 * 1024
    calendar: Any = None  # bot.calendar.workdays.WorkingCalendar of the agency

    @property
    def index(self) -> Index:
        """The pack's question index, built once per loaded pack (not per message)."""
        return index_for(self.pack)
