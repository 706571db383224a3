"""Route messages from registered officers to officer commands (filled in with the officer tools)."""
from __future__ import annotations

from flows.types import Message
from workers.runtime import Runtime


def route(rt: Runtime, inbound_id: int, msg: Message) -> bool:
    """Handle ``msg`` as an officer command; False when it is a citizen's message."""
    return False


def waiting_reply(rt: Runtime, msg: Message, conversation_id: int, state: dict | None) -> bool:
    """Pass a citizen's answer to a ticket waiting for them to its officer; False otherwise."""
    return False


