"""Carry out officer commands, each checked against the officer's units and role and written to the audit trail."""
from __future__ import annotations

from datetime import datetime

from bot.calendar.agency import deadline_for
from bot.calendar.dates import format_local
from bot.store.db import session_scope
from bot.store.models import Officer, Ticket, utcnow
from bot.store.officers import get_officer, officers_for_unit
from bot.store.tickets import add_event, assign, get_ticket_by_number, list_tickets, reclassify, set_status
from flows.officer import Command
from bot.types import Reply
from workers import invitations, relay
from workers.officer_reports import ikm_command, report_command
from workers.officer_send import officer_target, send_to_targets
from workers.runtime import Runtime
from workers.ticket_views import MANAGERS, list_line, view_text

OPEN = ("new", "in_progress", "waiting_citizen")


class Refused(Exception):
    """The officer may not do this; ``key`` and ``values`` word the answer."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values


def _pack(rt: Runtime, officer_id: int):
    """The officer's agency's pack: its wording, units and SLA classes (an officer serves one agency)."""
    with rt.sessions() as session:
        officer = get_officer(session, officer_id)
        return rt.pack_for(officer.agency_id if officer is not None else None)


def run(rt: Runtime, officer_id: int, cmd: Command, key: str) -> list[Reply]:
    """Execute ``cmd`` for the officer; the replies go back to the chat the command came from."""
    pack, lang = _pack(rt, officer_id), "id"
    if cmd.problem:
        classes = ", ".join(c.id for c in pack.agency.sla_classes)
        return [Reply(pack.text(cmd.problem, lang, number=cmd.number or "", classes=classes))]
    if cmd.name == "help":
        return [Reply(pack.text("officer_help", lang))]
    try:
        if cmd.name == "list":
            return [Reply(_list(rt, officer_id, cmd.text, lang))]
        return HANDLERS[cmd.name](rt, officer_id, cmd, key, lang)
    except Refused as refusal:
        return [Reply(pack.text(refusal.key, lang, **refusal.values))]


def _load(session, officer_id: int, number: str) -> tuple[Officer, Ticket]:
    officer = get_officer(session, officer_id)
    ticket = get_ticket_by_number(session, number, agency_id=officer.agency_id)
    if ticket is None or ticket.unit not in (officer.units or []):
        # The same answer for "no such ticket", "another unit's ticket" and "another agency's ticket":
        # nothing leaks across units or agencies.
        raise Refused("officer_not_found", number=number)
    return officer, ticket


def _open(ticket: Ticket) -> None:
    if ticket.status == "closed":
        raise Refused("officer_closed_already", number=ticket.number)


def _manager(officer: Officer) -> None:
    if officer.role not in MANAGERS:
        raise Refused("officer_not_allowed")


def _list(rt: Runtime, officer_id: int, flt: str, lang: str) -> str:
    pack = _pack(rt, officer_id)
    names = {"baru": "new", "new": "new", "saya": "mine", "mine": "mine", "terlambat": "overdue",
             "overdue": "overdue", "semua": "all", "all": "all"}
    which = names.get(flt.split(" ")[0] if flt else "", "open")
    with session_scope(rt.sessions) as session:
        officer = get_officer(session, officer_id)
        status = None if which == "all" else ("new",) if which == "new" else OPEN
        tickets = list_tickets(session, officer.units or [], status=status,
                               assignee_id=officer.id if which == "mine" else None,
                               overdue_at=utcnow() if which == "overdue" else None, agency_id=officer.agency_id)
        label = pack.text(f"officer_filter_{which}", lang)
        if not tickets:
            return pack.text("officer_list_empty", lang, filter=label)
        unit_names = ", ".join(officer.units or [])
        lines = [pack.text("officer_list_title", lang, unit=unit_names, filter=label)]
        lines += [list_line(rt, session, t, lang) for t in tickets[:30]]
        return "\n".join(lines)


def _view(rt, officer_id, cmd, key, lang):
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        return [Reply(view_text(rt, session, ticket, officer, lang))]


def _take(rt, officer_id, cmd, key, lang):
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        _open(ticket)
        if ticket.assignee_id and ticket.assignee_id != officer.id:
            other = get_officer(session, ticket.assignee_id)
            raise Refused("officer_taken_by_other", number=ticket.number, name=other.name if other else "?")
        assign(session, ticket, officer, "officer", officer.id)
        if ticket.status == "new":
            set_status(session, ticket, "in_progress", "officer", officer.id)
    return [Reply(_pack(rt, officer_id).text("officer_taken", lang, number=cmd.number))]


def _assign(rt, officer_id, cmd, key, lang):
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        _manager(officer)
        _open(ticket)
        wanted = cmd.text.strip().lower()
        candidates = [o for o in officers_for_unit(session, ticket.unit, agency_id=ticket.agency_id)
                      if str(o.id) == wanted or o.name.lower() == wanted or o.name.lower().startswith(wanted)]
        if len(candidates) != 1:
            raise Refused("officer_unknown_officer", name=cmd.text.strip())
        new = candidates[0]
        assign(session, ticket, new, "officer", officer.id)
        if ticket.status == "new":
            set_status(session, ticket, "in_progress", "officer", officer.id)
        target, by, number = officer_target(new), officer.name, ticket.number
    if target is not None and new.id != officer_id:
        send_to_targets(rt, [target], Reply(_pack(rt, officer_id).text("officer_assigned_to_you", lang, number=number,
                                                                       by=by)), f"{key}:assignee")
    return [Reply(_pack(rt, officer_id).text("officer_assigned", lang, number=number, name=new.name))]


def _class(rt, officer_id, cmd, key, lang):
    pack = _pack(rt, officer_id)
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        _manager(officer)
        _open(ticket)
        wanted = cmd.text.strip().lower()
        spec = next((c for c in pack.agency.sla_classes
                     if c.id == wanted or c.name.id.lower() == wanted or c.id.startswith(wanted)), None)
        if spec is None:
            raise Refused("officer_unknown_class", name=cmd.text.strip(),
                          classes=", ".join(c.id for c in pack.agency.sla_classes))
        deadline = deadline_for(pack, rt.calendar_for(ticket.agency_id), spec.id, ticket.opened_at)
        reclassify(session, ticket, spec.id, deadline, actor=officer)
        tz = rt.tz_for(ticket.agency_id)
        return [Reply(pack.text("officer_reclassified", lang, number=ticket.number, sla=spec.name.get(lang),
                                deadline=format_local(deadline, tz, lang)))]


def _to_citizen(rt, officer_id, cmd, key, lang, *, action: str, wording: str, status: str, done: str):
    """Record the officer's public message, then relay it to the citizen on their channel."""
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        _open(ticket)
        if ticket.assignee_id is None:
            assign(session, ticket, officer, "officer", officer.id)
        add_event(session, ticket, "officer", action, actor_id=officer.id, text=cmd.text, public=True)
        if status == "waiting_citizen":
            ticket.details = {**(ticket.details or {}), "waiting_since": utcnow().isoformat()}
        set_status(session, ticket, status, "officer", officer.id)
        conversation_id, number, citizen_lang = ticket.conversation_id, ticket.number, ticket.lang or "id"
    pack = _pack(rt, officer_id)
    text = pack.text(wording, citizen_lang, number=number, text=cmd.text)
    how = relay.to_citizen(rt, conversation_id, number, text, f"{key}:citizen", template_text=cmd.text)
    if how == "failed":
        return [Reply(pack.text("officer_reply_pending", lang, number=number, reason="channel unavailable"))]
    return [Reply(pack.text(done, lang, number=number))]


def _reply(rt, officer_id, cmd, key, lang):
    return _to_citizen(rt, officer_id, cmd, key, lang, action="replied", wording="officer_reply",
                       status="in_progress", done="officer_replied")


def _ask(rt, officer_id, cmd, key, lang):
    return _to_citizen(rt, officer_id, cmd, key, lang, action="info_requested", wording="officer_request_info",
                       status="waiting_citizen", done="officer_asked")


def _close(rt, officer_id, cmd, key, lang):
    replies = _to_citizen(rt, officer_id, cmd, key, lang, action="answered", wording="officer_closed",
                          status="closed", done="officer_close_done")
    invitations.after_close(rt, cmd.number)  # served: the citizen is invited to the survey
    return replies


def _note(rt, officer_id, cmd, key, lang):
    with session_scope(rt.sessions) as session:
        officer, ticket = _load(session, officer_id, cmd.number)
        add_event(session, ticket, "officer", "noted", actor_id=officer.id, text=cmd.text, public=False)
    return [Reply(_pack(rt, officer_id).text("officer_noted", lang, number=cmd.number))]


def extend_for_wait(rt: Runtime, ticket: Ticket) -> None:
    """When the agency pauses the clock while waiting for the citizen, push the deadline by the office time waited."""
    since = (ticket.details or {}).get("waiting_since")
    if not since or not rt.pack_for(ticket.agency_id).agency.pause_while_waiting:
        return
    cal = rt.calendar_for(ticket.agency_id)
    waited = cal.office_seconds_between(datetime.fromisoformat(since), utcnow())
    if waited > 0:
        ticket.deadline_at = cal.add_office_hours(ticket.deadline_at, waited / 3600)
    ticket.details = {k: v for k, v in (ticket.details or {}).items() if k != "waiting_since"}


HANDLERS = {"view": _view, "take": _take, "assign": _assign, "class": _class, "reply": _reply, "ask": _ask,
            "close": _close, "note": _note, "ikm": ikm_command, "report": report_command}
