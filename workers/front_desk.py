"""Before a turn on a front desk: which agency runs it (flows.desk decides; this applies it)."""
from __future__ import annotations

from bot.store.citizen_desk import move_conversation
from bot.tenancy import ChannelInstance
from flows.desk import Placed, place
from bot.types import Message
from workers.runtime import Runtime


def place_turn(rt: Runtime, instance: ChannelInstance | None, state: dict | None, msg: Message, agency: str,
               conversation_id: int) -> Placed:
    """The agency of this turn; on a front desk a new choice becomes the conversation's agency, so its
    tickets, status look-ups and the officers' replies go by it from now on."""
    if instance is None or not instance.front_desk:
        return Placed(agency, msg, state)
    placed = place(state, msg, {a: rt.pack_for(a) for a in instance.agencies}, agency)
    if placed.agency != agency:
        move_conversation(rt.sessions, conversation_id, placed.agency)
    return placed
