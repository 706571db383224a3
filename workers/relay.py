"""Send a message to a ticket's citizen on their own channel, minding WhatsApp's 24-hour window (``workers.window``)."""
from __future__ import annotations

from bot.store.citizen_desk import find_relayed, get_conversation_snapshot
from bot.types import Reply
from workers import window
from workers.delivery import send_one
from workers.runtime import Runtime, runtime
from workers.senders import Outgoing


def template_for(rt: Runtime, number: str, text: str, agency_id: str | None = None) -> tuple[str, dict] | None:
    """The agency's approved ``ticket_update`` template filled for this ticket."""
    return window.template(rt, "ticket_update", {"number": number, "text": text}, agency_id)


def to_citizen(rt: Runtime, conversation_id: int, number: str, text: str, key: str, template_text: str | None = None) -> str:
    """Deliver ``text`` to the citizen; return how: "free", "template" or "failed".

    It goes out from the channel instance the citizen wrote to (their agency's number or bot), with
    that agency's template where WhatsApp's window wants one.
    """
    convo = get_conversation_snapshot(rt.sessions, conversation_id)
    channel, chat_id, last_in = convo.channel, convo.chat_id, convo.last_inbound_at
    instance, agency = convo.instance, convo.agency_id
    if instance not in rt.senders:
        return "failed"
    values = {"number": number, "text": template_text or text}
    # Kept with the message: a 63016 Twilio reports later sends the same update as the template.
    meta = {"relay": {"template": "ticket_update", "values": values, "key": key}}
    return window.deliver(rt, instance, chat_id, conversation_id, Reply(text), key,
                          window.template(rt, "ticket_update", values, agency),
                          known_closed=not window.window_open(channel, last_in), meta=meta)


def resend_as_template(platform_id: str) -> str:
    """Twilio reported 63016 after accepting a free-form message: send the same one as its template.

    The job that runs twice sends once: the template message has its own key.
    """
    rt = runtime()
    found = find_relayed(rt.sessions, platform_id)
    if found is None:
        return "ignored"
    relay, body, convo = found
    instance, chat_id, conversation_id, agency = convo.instance, convo.chat_id, convo.id, convo.agency_id
    # Rows written before templates were named carry the ticket update's number and text directly.
    values = relay.get("values") or {"number": relay.get("number", ""), "text": relay.get("text", "")}
    template = window.template(rt, relay.get("template", "ticket_update"), values, agency)
    if template is None:
        return "no template"
    send_one(rt, instance, chat_id, conversation_id, Outgoing(Reply(body), template=template), f"{relay['key']}:template")
    return "template"
