"""Send a turn's replies once each, in order, recording every outbound message."""
from __future__ import annotations

import logging

from bot.db import session_scope
from bot.exceptions import OutsideWindow, SendFailed
from bot.flowchart import FlowchartUnavailable
from bot.flowcharts import service_flowchart
from bot.store.messages import mark_failed, mark_sent, record_outbound
from flows.types import Reply
from workers.runtime import Runtime
from workers.senders import Outgoing

log = logging.getLogger("loket.send")
DONE = ("sent", "delivered", "read")


def outgoing(rt: Runtime, channel: str, reply: Reply) -> Outgoing:
    """Attach the picture a reply asks for, in the form the channel takes (bytes or a public URL)."""
    if not reply.image or reply.image.get("kind") != "flowchart":
        return Outgoing(reply)
    svc = rt.pack.service(reply.image.get("service", ""))
    if svc is None or svc.flow is None:
        return Outgoing(reply)
    if channel == "telegram":
        try:
            return Outgoing(reply, image_png=service_flowchart(svc))
        except FlowchartUnavailable:
            return Outgoing(reply)  # the numbered steps were already sent as text
    return Outgoing(reply, image_url=f"{rt.settings.public_base_url}/media/flowchart/{svc.id}.png")


def send_one(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None, out: Outgoing, key: str) -> bool:
    """Send ``out`` unless the message with ``key`` already went; True when it is (now) sent.

    A transient failure raises ``SendFailed`` so the job is retried; a
    permanent one is recorded and skipped.
    """
    with session_scope(rt.sessions) as session:
        media = {**({"image": out.reply.image} if out.reply.image else {}), **(out.meta or {})} or None
        row, _created = record_outbound(session, key=key, conversation_id=conversation_id, body=out.reply.text,
                                        media=media)
        if row.delivery_state in DONE:
            return True
        row_id = row.id
    try:
        ids = rt.sender(channel).send(chat_id, out)
    except OutsideWindow:
        raise
    except SendFailed as exc:
        with session_scope(rt.sessions) as session:
            mark_failed(session, row_id, str(exc.code)[:20] if exc.code else "send_failed")
        log.warning("send failed: %s", exc, extra={"channel": channel})
        if exc.permanent:
            return False
        raise
    with session_scope(rt.sessions) as session:
        mark_sent(session, row_id, ",".join(ids))
    return True


def send_replies(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None, replies: list[Reply],
                 key_prefix: str) -> None:
    for i, reply in enumerate(replies):
        send_one(rt, channel, chat_id, conversation_id, outgoing(rt, channel, reply), f"{key_prefix}:{i}")
