"""Tell officers from citizens, run officer commands, and pass citizens' answers to waiting tickets on."""
from __future__ import annotations

import logging

from bot.store.models import utcnow
from bot.store.officer_desk import (find_active_officer, get_ticket_snapshot, list_unit_officers,
                                    record_citizen_answer, waiting_ticket_id)
from flows import officer as commands
from flows.status import status_request
from flows.text import is_exactly
from bot.types import Message, Reply
from workers import delivery, media
from workers.officer_commands import run
from workers.officer_send import Target, officer_target, send_to_targets, targets_in_unit
from workers.runtime import Runtime

log = logging.getLogger("loket.officers")


def _officer(rt: Runtime, msg: Message) -> tuple[int, list[str], str] | None:
    """(id, units, agency) of the active officer who sent ``msg``, or None."""
    officer = find_active_officer(rt.sessions, msg.channel, msg.sender_id)
    return (officer.id, list(officer.units), officer.agency_id) if officer is not None else None


def _officers_chat(rt: Runtime, msg: Message, units: list[str], agency_id: str) -> bool:
    """A private chat with the bot, or the registered group of one of the officer's units.

    Anywhere else (a group someone added the bot to) the answer would show
    tickets, and confidential reporters' names, to people who may not see them.
    """
    if not msg.group:
        return True
    groups = {str(spec.telegram_chat_id) for spec in (rt.pack_for(agency_id).agency.unit(u) for u in units)
              if spec is not None and spec.telegram_chat_id}
    return msg.chat_id in groups


def command_of(msg: Message):
    """The officer command ``msg`` reads as (a typed command or a pressed button), or None."""
    if msg.kind == "callback":
        return commands.parse_button(msg.callback_data or "")
    if msg.kind == "text":
        return commands.parse(msg.text)
    return None


def route(rt: Runtime, inbound_id: int, msg: Message, cmd) -> bool:
    """Handle ``msg``, read as ``cmd`` (``command_of``), as an officer command; False when it is a citizen's
    message (or an officer chatting)."""
    if cmd is None:
        return False
    if msg.channel == "sms":
        # An SMS sender's number can be forged, and tickets hold reporters' names: officer commands are
        # never run from SMS. Whoever sent it (an officer or not) is told where commands work, and nothing
        # says whether the number is an officer's.
        reply = Reply(rt.pack_for(None).text("officer_sms_refused", "id"))
        delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, None, [reply],
                              key_prefix=f"officer:{inbound_id}:out")
        return True
    officer = _officer(rt, msg)
    if officer is None:
        return False  # only registered officers' messages are commands; anyone else is a citizen
    officer_id, units, agency_id = officer
    if not _officers_chat(rt, msg, units, agency_id):
        log.warning("officer command in a chat that is not the officer's; not answered", extra={"channel": msg.channel})
        return True  # handled: by saying nothing there
    replies = run(rt, officer_id, cmd, key=f"officer:{inbound_id}")
    delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, None, replies,
                          key_prefix=f"officer:{inbound_id}:out")
    return True


_LOOK_UP = object()


def waiting_reply(rt: Runtime, msg: Message, conversation_id: int, state: dict | None,
                  known_ticket_id: int | None | object = _LOOK_UP) -> bool:
    """A citizen's answer to ``/minta``: record it (files as evidence), pass it to the assignee, resume the clock.

    ``known_ticket_id``: the chat's ticket waiting for the citizen, when the caller already read it.
    """
    state = state or {}
    if state.get("screen") in ("complaint", "request", "survey", "invite") or msg.kind not in ("text", "media"):
        return False
    text = msg.text or ""
    cmds = rt.pack.intents.get("commands", {})  # the shared _defaults commands, the same in every pack
    if status_request(text) or any(is_exactly(text, cmds.get(k, [])) for k in ("menu", "cancel", "help", "my_tickets")):
        return False  # the citizen is steering the bot, not answering
    ticket_id = waiting_ticket_id(rt.sessions, conversation_id) if known_ticket_id is _LOOK_UP else known_ticket_id
    if ticket_id is None:
        return False
    if any(m.evidence_id is None and m.refused is None for m in msg.media):
        msg = media.fetch_all(rt, msg, conversation_id)  # the officer asked; a photo is likely the answer
    stored = [m.evidence_id for m in msg.media if m.evidence_id is not None]
    ticket = get_ticket_snapshot(rt.sessions, ticket_id)
    pack = rt.pack_for(ticket.agency_id)
    files = pack.text("officer_citizen_sent_file", "id", count=len(stored)) if stored else ""
    body = "\n".join(part for part in (text, files) if part) or "-"
    assignee = record_citizen_answer(rt.sessions, ticket_id, body, stored, rt.calendar_for(ticket.agency_id),
                                     pack.agency.pause_while_waiting, utcnow())
    if assignee is not None:
        targets: list[Target] = [t for t in [officer_target(assignee)] if t]
    else:
        officers = list_unit_officers(rt.sessions, ticket.unit, ticket.agency_id)
        targets = targets_in_unit(rt, officers, ticket.unit, ticket.agency_id)
    send_to_targets(rt, targets, Reply(pack.text("officer_citizen_replied", "id", number=ticket.number, text=body)),
                    key=f"citizen-reply:{msg.platform_id}")
    delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, conversation_id,
                          [Reply(pack.text("citizen_reply_forwarded", ticket.lang, number=ticket.number))],
                          key_prefix=f"reply:{msg.channel}:{msg.platform_id}")
    return True
