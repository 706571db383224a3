"""Tell officers from citizens, run officer commands, and pass citizens' answers to waiting tickets on."""
from __future__ import annotations

import logging

from sqlalchemy import select

from bot.store.db import session_scope
from bot.store.models import Ticket
from bot.store.evidence import attach_evidence
from bot.store.officers import find_officer_by_telegram, find_officer_by_whatsapp, get_officer
from bot.store.tickets import add_event, get_ticket, set_status
from flows import officer as commands
from flows.status import status_request
from flows.text import is_exactly
from bot.types import Message, Reply
from workers import delivery, media
from workers.officer_commands import extend_for_wait, run
from workers.officer_send import Target, officer_target, send_to_targets, unit_targets
from workers.runtime import Runtime

log = logging.getLogger("loket.officers")


def _officer(rt: Runtime, msg: Message) -> tuple[int, list[str], str] | None:
    """(id, units, agency) of the active officer who sent ``msg``, or None."""
    with session_scope(rt.sessions) as session:
        if msg.channel == "telegram":
            officer = find_officer_by_telegram(session, msg.sender_id)
        elif msg.channel == "whatsapp":
            officer = find_officer_by_whatsapp(session, msg.sender_id)
        else:
            officer = None
        if officer is None or not officer.active:
            return None
        return officer.id, list(officer.units or []), officer.agency_id


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


def route(rt: Runtime, inbound_id: int, msg: Message) -> bool:
    """Handle ``msg`` as an officer command; False when it is a citizen's message (or an officer chatting)."""
    if msg.kind == "callback":
        cmd = commands.parse_button(msg.callback_data or "")
    elif msg.kind == "text":
        cmd = commands.parse(msg.text)
    else:
        cmd = None
    if cmd is None:
        return False
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


def _waiting_ticket_id(rt: Runtime, conversation_id: int) -> int | None:
    with session_scope(rt.sessions) as session:
        return session.scalars(select(Ticket.id).where(Ticket.conversation_id == conversation_id,
                                                       Ticket.status == "waiting_citizen")
                               .order_by(Ticket.updated_at.desc())).first()


def waiting_reply(rt: Runtime, msg: Message, conversation_id: int, state: dict | None) -> bool:
    """A citizen's answer to ``/minta``: record it (files as evidence), pass it to the assignee, resume the clock."""
    state = state or {}
    if state.get("screen") in ("complaint", "request", "survey", "invite") or msg.kind not in ("text", "media"):
        return False
    text = msg.text or ""
    cmds = rt.pack.intents.get("commands", {})  # the shared _defaults commands, the same in every pack
    if status_request(text) or any(is_exactly(text, cmds.get(k, [])) for k in ("menu", "cancel", "help", "my_tickets")):
        return False  # the citizen is steering the bot, not answering
    ticket_id = _waiting_ticket_id(rt, conversation_id)
    if ticket_id is None:
        return False
    if any(m.evidence_id is None and m.refused is None for m in msg.media):
        msg = media.fetch_all(rt, msg, conversation_id)  # the officer asked; a photo is likely the answer
    stored = [m.evidence_id for m in msg.media if m.evidence_id is not None]
    with session_scope(rt.sessions) as session:
        ticket = get_ticket(session, ticket_id)
        pack = rt.pack_for(ticket.agency_id)
        attach_evidence(session, stored, ticket)
        files = pack.text("officer_citizen_sent_file", "id", count=len(stored)) if stored else ""
        body = "\n".join(part for part in (text, files) if part) or "-"
        add_event(session, ticket, "citizen", "citizen_replied", text=body, public=False,
                  data={"evidence": stored})
        extend_for_wait(rt, ticket)
        set_status(session, ticket, "in_progress", "citizen")
        number, unit, assignee_id, lang = ticket.number, ticket.unit, ticket.assignee_id, ticket.lang or "id"
        assignee = get_officer(session, assignee_id) if assignee_id else None
        targets: list[Target] = ([t for t in [officer_target(assignee)] if t] if assignee
                                 else unit_targets(rt, session, unit, agency_id=ticket.agency_id))
    send_to_targets(rt, targets, Reply(pack.text("officer_citizen_replied", "id", number=number, text=body)),
                    key=f"citizen-reply:{msg.platform_id}")
    delivery.send_replies(rt, msg.instance or msg.channel, msg.chat_id, conversation_id,
                          [Reply(pack.text("citizen_reply_forwarded", lang, number=number))],
                          key_prefix=f"reply:{msg.channel}:{msg.platform_id}")
    return True
