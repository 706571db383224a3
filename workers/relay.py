"""Send a message to a ticket's citizen on their own channel, minding WhatsApp's 24-hour window."""
from __future__ import annotations

from datetime import timedelta

from bot.db import session_scope
from bot.exceptions import OutsideWindow
from bot.models import utcnow
from bot.store.citizens import get_conversation
from bot.store.messages import find_by_platform_id
from flows.types import Reply
from workers.delivery import send_one
from workers.runtime import Runtime, runtime
from workers.senders import Outgoing

WINDOW = timedelta(hours=24)
TEMPLATE_TEXT_LIMIT = 900


def template_for(rt: Runtime, number: str, text: str, agency_id: str | None = None) -> tuple[str, dict] | None:
    """The agency's approved ``ticket_update`` template (Twilio Content API) filled for this ticket.

    WhatsApp refuses template variables with line breaks, so the text is flattened to one line.
    """
    spec = rt.pack_for(agency_id).agency.templates.get("ticket_update")
    if spec is None:
        return None
    values = {"number": number, "text": " ".join(text.split())[:TEMPLATE_TEXT_LIMIT]}
    return spec.content_sid, {str(i): values.get(name, "") for i, name in enumerate(spec.variables, 1)}


def to_citizen(rt: Runtime, conversation_id: int, number: str, text: str, key: str, template_text: str | None = None) -> str:
    """Deliver ``text`` to the citizen; return how: "free", "template" or "failed".

    WhatsApp refuses a free-form message more than 24 hours after the
    citizen's last message (error 63016): then the approved template goes
    instead, chosen up front when the window is known to be closed, or as
    the fallback when Twilio refuses. It goes out from the channel instance the
    citizen wrote to (their agency's number or bot), with that agency's template.
    """
    with session_scope(rt.sessions) as session:
        convo = get_conversation(session, conversation_id)
        channel, chat_id, last_in = convo.channel, convo.chat_id, convo.last_inbound_at
        instance, agency = convo.instance, convo.agency_id
    if instance not in rt.senders:
        return "failed"
    template = template_for(rt, number, template_text or text, agency) if channel == "whatsapp" else None
    window_open = last_in is not None and utcnow() - last_in < WINDOW
    if channel == "whatsapp" and not window_open and template is not None:
        send_one(rt, instance, chat_id, conversation_id, Outgoing(Reply(text), template=template), f"{key}:template")
        return "template"
    meta = {"relay": {"number": number, "text": template_text or text, "key": key}}
    try:
        ok = send_one(rt, instance, chat_id, conversation_id, Outgoing(Reply(text), meta=meta), key)
        return "free" if ok else "failed"
    except OutsideWindow:
        if template is None:
            return "failed"
        send_one(rt, instance, chat_id, conversation_id, Outgoing(Reply(text), template=template), f"{key}:template")
        return "template"


def resend_as_template(platform_id: str) -> str:
    """Twilio reported 63016 after accepting a free-form relay: send the same update as the template.

    The job that runs twice sends once: the template message has its own key.
    """
    rt = runtime()
    with session_scope(rt.sessions) as session:
        row = find_by_platform_id(session, platform_id)
        relay = (row.media or {}).get("relay") if row is not None else None
        if relay is None or row.conversation_id is None:
            return "ignored"
        convo = get_conversation(session, row.conversation_id)
        instance, chat_id, conversation_id, body = convo.instance, convo.chat_id, row.conversation_id, row.body
        agency = convo.agency_id
    template = template_for(rt, relay["number"], relay["text"], agency)
    if template is None:
        return "no template"
    send_one(rt, instance, chat_id, conversation_id, Outgoing(Reply(body), template=template), f"{relay['key']}:template")
    return "template"
