"""How a ticket reads for officers. Confidential reporters are named only to the unit's complaint managers."""
from __future__ import annotations

from bot.calendar.dates import format_local
from bot.ops.links import evidence_link
from bot.snapshots import OfficerSnapshot, TicketSnapshot
from bot.store.ticket_record import TicketRecord, get_ticket_record, list_unit_tickets
from flows.officer_commands import MANAGERS
from workers.runtime import Runtime


def _tz(rt: Runtime, ticket: TicketSnapshot) -> str:
    return rt.tz_for(ticket.agency_id)


def reporter(rt: Runtime, ticket: TicketSnapshot, viewer_role: str | None, lang: str = "id") -> str:
    """The reporter as ``viewer_role`` may see them (None: a group of people)."""
    pack = rt.pack_for(ticket.agency_id)
    if ticket.identity_mode == "anonymous" or not ticket.reporter_name:
        return pack.text("officer_reporter_anonymous", lang)
    if ticket.identity_mode == "confidential" and viewer_role not in MANAGERS:
        return pack.text("officer_reporter_confidential", lang)
    return ticket.reporter_name


def _common(rt: Runtime, ticket: TicketSnapshot, viewer_role: str | None, lang: str) -> dict:
    pack = rt.pack_for(ticket.agency_id)  # the ticket's own agency's classes, units and wording
    sla = pack.agency.sla_class(ticket.sla_class)
    cat = pack.agency.category(ticket.category or "")
    svc = pack.service(ticket.service_id or "")
    unit = pack.agency.unit(ticket.unit)
    return dict(
        number=ticket.number, kind=pack.text(f"kind_{ticket.kind}", lang),
        status=pack.text(f"status_{'waiting' if ticket.status == 'waiting_citizen' else ticket.status}", lang),
        sla=sla.name.get(lang) if sla else ticket.sla_class,
        deadline=format_local(ticket.deadline_at, _tz(rt, ticket), lang),
        category=cat.name.get(lang) if cat else "-", service=svc.name if svc else "-",
        reporter=reporter(rt, ticket, viewer_role, lang), place=ticket.place or "-", occurred=ticket.occurred or "-",
        description=ticket.description, unit=unit.name if unit else ticket.unit,
        assignee=ticket.assignee_name if ticket.assignee_id and ticket.assignee_name
        else pack.text("officer_unassigned", lang),
    )


def new_ticket_text(rt: Runtime, record: TicketRecord, lang: str = "id") -> str:
    values = _common(rt, record.ticket, None, lang)
    values["kind"] = values["kind"].capitalize()
    return rt.pack_for(record.ticket.agency_id).text("officer_new_ticket", lang, evidence=len(record.evidence), **values)


def view_text(rt: Runtime, record: TicketRecord, viewer_role: str | None, lang: str = "id") -> str:
    ticket = record.ticket
    pack = rt.pack_for(ticket.agency_id)
    lines = [pack.text("officer_view", lang, **_common(rt, ticket, viewer_role, lang))]
    if record.evidence:
        lines += ["", pack.text("officer_view_evidence", lang, count=len(record.evidence))]
        for ev in record.evidence:
            link = evidence_link(rt.settings.public_base_url, rt.settings.secret_key, ev.id)
            lines.append(f"• {ev.mime}, {max(1, ev.size // 1024)} KB, sha256 {ev.sha256[:12]}…: {link}")
    lines += ["", pack.text("officer_view_history", lang)]
    for event in record.history:
        who = "warga" if event.actor_kind == "citizen" else "sistem" if event.actor_kind == "system" else \
            event.actor_name or "petugas"
        when = format_local(event.at, _tz(rt, ticket), lang)
        text = f": {event.text}" if event.text else ""
        lines.append(f"• {when} — {who} — {event.action}{text}")
    return "\n".join(lines)


def list_line(rt: Runtime, ticket: TicketSnapshot, lang: str = "id") -> str:
    values = _common(rt, ticket, None, lang)
    assignee = f" — {values['assignee']}" if ticket.assignee_id else ""
    return rt.pack_for(ticket.agency_id).text("officer_list_line", lang, number=ticket.number, status=values["status"],
                                              sla=values["sla"], deadline=values["deadline"], assignee=assignee)


def render_view(rt: Runtime, ticket_id: int, viewer_role: str, lang: str = "id") -> str:
    """/lihat: the ticket, its evidence and its history, as ``viewer_role`` may see them."""
    return view_text(rt, get_ticket_record(rt.sessions, ticket_id, with_history=True), viewer_role, lang)


def render_list(rt: Runtime, officer: OfficerSnapshot, query: dict, lang: str = "id") -> str:
    """/tiket: the officer's units' tickets the filter in ``query`` picks (``flows/officer_commands.py``)."""
    pack = rt.pack_for(officer.agency_id)
    label = pack.text(f"officer_filter_{query['which']}", lang)
    tickets = list_unit_tickets(rt.sessions, officer.units, status=query["status"], assignee_id=query["assignee_id"],
                                overdue_at=query["overdue_at"], agency_id=officer.agency_id, limit=30)
    if not tickets:
        return pack.text("officer_list_empty", lang, filter=label)
    lines = [pack.text("officer_list_title", lang, unit=", ".join(officer.units), filter=label)]
    return "\n".join(lines + [list_line(rt, t, lang) for t in tickets])
