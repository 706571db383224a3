"""Pure conversation logic: ``step(state, message, ctx) -> Result``.

No I/O here. A flow reads the message, the conversation state and the
content pack, and returns the new state, the replies to send and the effects
(create a ticket, look up a status, ...) that workers carry out.
"""
from flows.engine import step, wants_media
from flows.types import Context, Effect, Location, Media, Message, Option, Reply, Result

__all__ = ["Context", "Effect", "Location", "Media", "Message", "Option", "Reply", "Result", "step", "wants_media"]
