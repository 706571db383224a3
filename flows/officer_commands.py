"""What an officer's command decides, given plain snapshots: the replies and the changes, no I/O.

``decide(cmd, desk)`` checks the officer's units and role and the ticket's
status and answers with a ``Decision``: ``replies`` (wording keys from content,
for the officer), ``changes`` written to the ticket in one transaction
(``bot/store/officer_desk.py``: assign, set_status, reclassify, add_event,
wait_for_citizen) and ``effects`` carried out after it (tell_citizen,
tell_officer, invite_survey, show_ticket, show_list, show_figures). The worker
(``workers/officer_commands.py``) loads, calls this, applies and sends.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Mapping

from bot.calendar.dates import format_local
from bot.reports.chat import may_see_reports
from bot.snapshots import OfficerSnapshot, TicketSnapshot
from flows.officer import Command
from flows.types import Effect

MANAGERS = ("supervisor", "admin")
OPEN = ("new", "in_progress", "waiting_citizen")
#: /tiket's filter words -> the filter.
FILTERS = {"baru": "new", "new": "new", "saya": "mine", "mine": "mine", "terlambat": "overdue",
           "overdue": "overdue", "semua": "all", "all": "all"}
#: The commands that talk to the citizen: the event's action, the citizen's wording, the new status, the reply.
TO_CITIZEN = {
    "reply": ("replied", "officer_reply", "in_progress", "officer_replied"),
    "ask": ("info_requested", "officer_request_info", "waiting_citizen", "officer_asked"),
    "close": ("answered", "officer_closed", "closed", "officer_close_done"),
}


@dataclass(frozen=True)
class Words:
    """A reply worded from content: the key and its values (officers read Indonesian)."""
    key: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Desk:
    """What a decision may read: the officer, the ticket named (None: not found in their agency), and more."""
    officer: OfficerSnapshot
    ticket: TicketSnapshot | None
    now: datetime
    tz: str
    sla_classes: tuple = ()  # the agency's SlaClassSpec list (content)
    deadlines: Mapping[str, datetime] = field(default_factory=dict)  # per class id, for this ticket
    unit_officers: tuple[OfficerSnapshot, ...] = ()


@dataclass
class Decision:
    replies: list[Words] = field(default_factory=list)
    changes: list[Effect] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)


class Refused(Exception):
    """The officer may not do this; ``words`` say why."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.words = Words(key, values)


def decide(cmd: Command, desk: Desk) -> Decision:
    """The replies, changes and effects of ``cmd`` for the officer at ``desk``."""
    if cmd.problem:
        classes = ", ".join(c.id for c in desk.sla_classes)
        return Decision([Words(cmd.problem, {"number": cmd.number or "", "classes": classes})])
    try:
        return DECISIONS[cmd.name](cmd, desk)
    except Refused as refusal:
        return Decision([refusal.words])


def _help(cmd: Command, desk: Desk) -> Decision:
    return Decision([Words("officer_help")])


def _list(cmd: Command, desk: Desk) -> Decision:
    which = FILTERS.get(cmd.text.split(" ")[0] if cmd.text else "", "open")
    status = None if which == "all" else ("new",) if which == "new" else OPEN
    return Decision(effects=[Effect("show_list", {
        "which": which, "status": status, "assignee_id": desk.officer.id if which == "mine" else None,
        "overdue_at": desk.now if which == "overdue" else None})])


def _visible(cmd: Command, desk: Desk) -> TicketSnapshot:
    ticket = desk.ticket
    if ticket is None or ticket.unit not in desk.officer.units:
        # The same answer for "no such ticket", "another unit's ticket" and "another agency's ticket":
        # nothing leaks across units or agencies.
        raise Refused("officer_not_found", number=cmd.number)
    return ticket


def _open(ticket: TicketSnapshot) -> TicketSnapshot:
    if ticket.status == "closed":
        raise Refused("officer_closed_already", number=ticket.number)
    return ticket


def _manager(desk: Desk) -> None:
    if desk.officer.role not in MANAGERS:
        raise Refused("officer_not_allowed")


def _view(cmd: Command, desk: Desk) -> Decision:
    return Decision(effects=[Effect("show_ticket", {"ticket_id": _visible(cmd, desk).id})])


def _give(ticket: TicketSnapshot, officer_id: int) -> list[Effect]:
    """Assign the ticket; a new ticket is in progress from then on."""
    changes = [Effect("assign", {"officer_id": officer_id})]
    return changes + ([Effect("set_status", {"status": "in_progress"})] if ticket.status == "new" else [])


def _take(cmd: Command, desk: Desk) -> Decision:
    ticket, me = _open(_visible(cmd, desk)), desk.officer
    if ticket.assignee_id and ticket.assignee_id != me.id:
        raise Refused("officer_taken_by_other", number=ticket.number, name=ticket.assignee_name or "?")
    return Decision([Words("officer_taken", {"number": cmd.number})], changes=_give(ticket, me.id))


def _assign(cmd: Command, desk: Desk) -> Decision:
    ticket = _visible(cmd, desk)
    _manager(desk)
    _open(ticket)
    wanted = cmd.text.strip().lower()
    candidates = [o for o in desk.unit_officers
                  if str(o.id) == wanted or o.name.lower() == wanted or o.name.lower().startswith(wanted)]
    if len(candidates) != 1:
        raise Refused("officer_unknown_officer", name=cmd.text.strip())
    new = candidates[0]
    tell = [Effect("tell_officer", {"officer": new, "suffix": "assignee", "words": Words(
        "officer_assigned_to_you", {"number": ticket.number, "by": desk.officer.name})})]
    return Decision([Words("officer_assigned", {"number": ticket.number, "name": new.name})],
                    changes=_give(ticket, new.id), effects=tell if new.id != desk.officer.id else [])


def _class(cmd: Command, desk: Desk) -> Decision:
    ticket = _visible(cmd, desk)
    _manager(desk)
    _open(ticket)
    wanted = cmd.text.strip().lower()
    spec = next((c for c in desk.sla_classes
                 if c.id == wanted or c.name.id.lower() == wanted or c.id.startswith(wanted)), None)
    if spec is None:
        raise Refused("officer_unknown_class", name=cmd.text.strip(), classes=", ".join(c.id for c in desk.sla_classes))
    deadline = desk.deadlines[spec.id]
    return Decision([Words("officer_reclassified", {"number": ticket.number, "sla": spec.name.get("id"),
                                                    "deadline": format_local(deadline, desk.tz, "id")})],
                    changes=[Effect("reclassify", {"sla_class": spec.id, "deadline_at": deadline})])


def _to_citizen(cmd: Command, desk: Desk) -> Decision:
    """Record the officer's public message and its status; the worker relays it to the citizen."""
    ticket = _open(_visible(cmd, desk))
    action, wording, status, done = TO_CITIZEN[cmd.name]
    changes = [Effect("assign", {"officer_id": desk.officer.id})] if ticket.assignee_id is None else []
    changes.append(Effect("add_event", {"action": action, "text": cmd.text, "public": True}))
    if status == "waiting_citizen":
        changes.append(Effect("wait_for_citizen", {"since": desk.now}))
    changes.append(Effect("set_status", {"status": status}))
    effects = [Effect("tell_citizen", {
        "words": Words(wording, {"number": ticket.number, "text": cmd.text}), "lang": ticket.lang,
        "template_text": cmd.text, "suffix": "citizen",
        "if_failed": Words("officer_reply_pending", {"number": ticket.number, "reason": "channel unavailable"})})]
    if status == "closed":
        effects.append(Effect("invite_survey", {"number": ticket.number}))  # served: the survey follows
    return Decision([Words(done, {"number": ticket.number})], changes=changes, effects=effects)


def _figures(cmd: Command, desk: Desk) -> Decision:
    """/ikm and /laporan: a supervisor's own agency's figures (the worker reads and words them)."""
    if not (desk.officer.active and may_see_reports(desk.officer.role)):
        raise Refused("officer_not_allowed")
    return Decision(effects=[Effect("show_figures", {"name": cmd.name, "period": cmd.text})])


def _note(cmd: Command, desk: Desk) -> Decision:
    _visible(cmd, desk)
    return Decision([Words("officer_noted", {"number": cmd.number})],
                    changes=[Effect("add_event", {"action": "noted", "text": cmd.text, "public": False})])


DECISIONS: dict[str, Callable[[Command, Desk], Decision]] = {
    "help": _help, "list": _list, "view": _view, "take": _take, "assign": _assign, "class": _class,
    "reply": _to_citizen, "ask": _to_citizen, "close": _to_citizen, "note": _note, "ikm": _figures, "report": _figures,
}
