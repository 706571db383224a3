"""Tell a unit's officers about a new ticket at once, with its summary, evidence and buttons."""
from __future__ import annotations

import logging
from pathlib import Path

from bot.channels.images import strip_metadata
from bot.store.officer_desk import list_unit_officers
from bot.store.ticket_record import get_ticket_record
from bot.types import Option, Reply
from workers.officer_send import send_to_targets, targets_in_unit
from workers.runtime import runtime
from workers.ticket_views import new_ticket_text

log = logging.getLogger("loket.notify")


def notify_new_ticket(ticket_id: int) -> int:
    """Send ticket ``ticket_id`` to its unit's officers; safe to run twice (each message has its key)."""
    rt = runtime()
    record = get_ticket_record(rt.sessions, ticket_id)
    if record is None:
        return 0
    ticket = record.ticket
    pack = rt.pack_for(ticket.agency_id)
    text = new_ticket_text(rt, record)
    number = ticket.number
    officers = list_unit_officers(rt.sessions, ticket.unit, ticket.agency_id)  # its own agency's unit only
    targets = targets_in_unit(rt, officers, ticket.unit, ticket.agency_id)
    photos = [(e.id, Path(e.stored_path), e.mime) for e in record.evidence if e.mime.startswith("image/")]
    if not targets:
        log.warning("no officer to notify for a new ticket", extra={"ticket": ticket_id})
        return 0
    buttons = tuple(Option(f"o:{action}:{number}", pack.text(f"officer_button_{action}", "id"))
                    for action in ("take", "reply", "close"))
    sent = send_to_targets(rt, targets, Reply(text, options=buttons), key=f"notify:{ticket_id}")
    telegram = [t for t in targets if t.channel == "telegram"]
    for evidence_id, path, mime in photos:
        if telegram and path.exists():
            image = strip_metadata(path.read_bytes(), mime)
            send_to_targets(rt, telegram, Reply(f"{number}: bukti"), key=f"notify:{ticket_id}:ev{evidence_id}",
                            image_png=image)
    return sent
