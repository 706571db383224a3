"""Send a turn's replies once each, in order, recording every outbound message."""
from __future__ import annotations

import functools
import logging
import time
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.orm import Session
from twilio.base.exceptions import TwilioRestException

from bot.store.db import session_scope
from bot.exceptions import OutsideWindow, SendFailed, SendUncertain
from bot.content.flowchart import FlowchartUnavailable
from bot.content.flowcharts import service_flowchart
from bot.ops.links import report_link
from bot.store.models import utcnow
from bot.reports.chat_files import report_path
from bot.store.messages import find_by_platform_id, mark_failed, mark_sent
from bot.store.outbox import attempt, claim_outbound, part_sent
from bot.types import Reply
from workers import draining
from workers.runtime import Runtime
from bot.channels.base import Outgoing

log = logging.getLogger("loket.send")
REPORT_LINK_SECONDS = 24 * 3600  # Twilio fetches at once; a retried send within a day still finds the file


def outgoing(rt: Runtime, channel: str, reply: Reply) -> Outgoing:
    """Attach the picture or file a reply asks for, in the form the channel takes (bytes or a URL).

    ``channel`` names the sender: a channel's default instance or another instance's id.
    """
    if reply.document and reply.document.get("kind") == "report":
        return _report(rt, channel, reply)
    if not reply.image or reply.image.get("kind") != "flowchart":
        return Outgoing(reply)
    svc = find_service(rt, reply.image.get("service", ""), reply.image.get("agency"))
    if svc is None or svc.flow is None:
        return Outgoing(reply)
    if provider(rt, channel) == "telegram":
        try:
            return Outgoing(reply, image_png=service_flowchart(svc))
        except FlowchartUnavailable:
            return Outgoing(reply)  # the numbered steps were already sent as text
    return Outgoing(reply, image_url=f"{rt.settings.public_base_url}/media/flowchart/{svc.id}.png")


def provider(rt: Runtime, channel: str) -> str:
    """The provider behind a sender key: "whatsapp" or "telegram" for an instance's id too."""
    sender = rt.senders.get(channel)
    return sender.channel if sender is not None else channel


def _report(rt: Runtime, channel: str, reply: Reply) -> Outgoing:
    """A report PDF: the bytes for Telegram; elsewhere a signed link that expires (Twilio fetches ``MediaUrl``)."""
    name = reply.document["file"]
    if provider(rt, channel) == "telegram":
        return Outgoing(reply, document=(name, report_path(rt.settings.media_dir, name).read_bytes()))
    link = report_link(rt.settings.public_base_url, rt.settings.secret_key, name, ttl_seconds=REPORT_LINK_SECONDS)
    return Outgoing(reply, document_url=link)


def find_service(rt: Runtime, service_id: str, agency_id: str | None = None):
    """The service of that id: in ``agency_id``'s pack, else the first served agency's that has it."""
    packs = rt.agencies
    if agency_id in packs:
        return packs[agency_id].service(service_id)
    return next((p.service(service_id) for p in packs.values() if p.service(service_id) is not None), None)


def send_one(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None, out: Outgoing, key: str) -> bool:
    """Send ``out`` unless the message with ``key`` already went; True when it is (now) sent.

    The outbox: the row is claimed before each part goes out and marked after,
    so a re-run sends only the parts not yet recorded. A part that was on the
    wire when a worker died (or whose answer timed out) is first looked up at
    the platform. A transient failure raises ``SendFailed`` so the job is
    retried; a permanent one is recorded and skipped.
    """
    return send_all(rt, channel, chat_id, conversation_id, [(out, key)])[0]


def send_all(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None,
             items: list[tuple[Outgoing, str]], *, before: Write | None = None,
             after: Write | None = None) -> list[bool]:
    """``send_one`` for each (outgoing, key) in order, in as few transactions as the outbox allows.

    One transaction runs ``before`` (e.g. the turn's state), claims every message and marks the first
    part's attempt; each later one records the part just sent and marks the next part's attempt; the
    last records the last part and runs ``after`` (e.g. the inbound marked processed). A write that waits
    for the next transaction is always committed before the next send.
    """
    results = [True] * len(items)
    sender = rt.sender(channel) if items else None
    with session_scope(rt.sessions) as session:
        if before is not None:
            before(session)
        parts_of = [sender.parts(chat_id, out) for out, _key in items]
        # A new first message records its first part's attempt in its own INSERT.
        claims = [claim_outbound(session, key=key, conversation_id=conversation_id, body=out.reply.text,
                                 media=_media(out), attempting=n == 0 and bool(parts_of[0]))
                  for n, (out, key) in enumerate(items)]
        plan = list(zip(claims, parts_of))
        attempted = _first_attempt(session, plan)
        if after is not None and all(claim.done for claim in claims):  # nothing to send: one transaction
            after(session)
            after = None
    pending: list[Write] = []
    for n, (claim, parts) in enumerate(plan):
        if claim.done:
            continue
        interrupted = claim.attempted_at
        for index in range(claim.parts_sent, len(parts)):
            if interrupted is not None and index == claim.parts_sent:
                with draining.waiting():
                    found = _arrived(rt, sender, chat_id, parts[index], interrupted)
                interrupted = None
                if found is not None:
                    log.info("a reply found delivered after an interrupted send", extra={"channel": channel})
                    pending.append(functools.partial(part_sent, message_id=claim.id, platform_id=found,
                                                     parts_total=len(parts)))
                    continue
            if attempted != (n, index):
                with session_scope(rt.sessions) as session:
                    _flush(session, pending)
                    attempt(session, claim.id)
            attempted = None
            try:
                with draining.waiting():
                    platform_id = sender.send_part(chat_id, parts[index])
            except OutsideWindow:
                with session_scope(rt.sessions) as session:
                    _flush(session, pending)
                    mark_failed(session, claim.id, "63016")
                raise
            except SendFailed as exc:
                with session_scope(rt.sessions) as session:
                    _flush(session, pending)
                    mark_failed(session, claim.id, str(exc.code)[:20] if exc.code else "send_failed",
                                uncertain=isinstance(exc, SendUncertain))
                log.warning("send failed: %s", exc, extra={"channel": channel})
                if exc.permanent:
                    results[n] = False
                    break
                raise
            pending.append(functools.partial(part_sent, message_id=claim.id, platform_id=platform_id,
                                             parts_total=len(parts)))
        if not parts:
            pending.append(functools.partial(mark_sent, message_id=claim.id, platform_id=""))
    if pending or after is not None:
        with session_scope(rt.sessions) as session:
            _flush(session, pending)
            if after is not None:
                after(session)
    return results


Write = Callable[[Session], object]


def _first_attempt(session: Session, plan: list) -> tuple[int, int] | None:
    """Mark the attempt of the first part that will be sent, if it needs no look-up first; its (item, part)."""
    for n, (claim, parts) in enumerate(plan):
        if claim.done or claim.parts_sent >= len(parts):
            continue
        if claim.attempted_at is not None:
            return None  # an interrupted send: it is looked up at the platform before anything is marked
        if not claim.attempted_now:
            attempt(session, claim.id)
        return n, claim.parts_sent
    return None


def _flush(session: Session, pending: list[Write]) -> None:
    for write in pending:
        write(session)
    pending.clear()


def _media(out: Outgoing) -> dict | None:
    return {**({"image": out.reply.image} if out.reply.image else {}),
            **({"document": out.reply.document} if out.reply.document else {}), **(out.meta or {})} or None


def _arrived(rt: Runtime, sender, chat_id: str, part: dict, attempted: datetime) -> str | None:
    """The platform id of ``part`` if the platform took it during the interrupted attempt, else None.

    Looks at once; if nothing is there yet, looks again once the attempt is one
    read timeout old, so a request a dead worker left on the wire has landed
    (or failed) by then.
    """
    if not sender.looks_up:
        return None  # the platform cannot say (Telegram): send again, twice rather than never
    found = _unrecorded(rt, sender, chat_id, part, attempted)
    settle = (attempted + timedelta(seconds=rt.settings.send_timeout_seconds) - utcnow()).total_seconds()
    if found is None and settle > 0:
        time.sleep(min(settle, rt.settings.send_timeout_seconds))
        found = _unrecorded(rt, sender, chat_id, part, attempted)
    return found


def _unrecorded(rt: Runtime, sender, chat_id: str, part: dict, attempted: datetime) -> str | None:
    try:
        candidates = sender.find_sent(chat_id, part, attempted)
    except (TwilioRestException, OSError) as exc:
        raise SendFailed(sender.channel, f"could not check an interrupted send ({type(exc).__name__})") from exc
    with session_scope(rt.sessions) as session:
        for platform_id in candidates:
            if find_by_platform_id(session, platform_id) is None:  # not another reply's
                return platform_id
    return None


def send_replies(rt: Runtime, channel: str, chat_id: str, conversation_id: int | None, replies: list[Reply],
                 key_prefix: str, *, before: Write | None = None, after: Write | None = None) -> None:
    """Send a turn's replies in order, each once (``send_all``; ``before`` and ``after`` as there)."""
    send_all(rt, channel, chat_id, conversation_id,
             [(outgoing(rt, channel, reply), f"{key_prefix}:{i}") for i, reply in enumerate(replies)],
             before=before, after=after)
