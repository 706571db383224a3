"""How a ticket reads for officers. Confidential reporters are named only to the unit's complaint managers."""
from __future__ import annotations

from sqlalchemy.orm import Session

from bot.calendar.dates import format_local
from bot.ops.links import evidence_link
from bot.store.models import Officer, Ticket
from bot.store.evidence import evidence_for
from bot.store.officers import get_officer
from bot.store.tickets import events_for
from workers.runtime import Runtime

MANAGERS = ("supervisor", "admin")


def _tz(rt: Runtime, ticket: Ticket) -> str:
    return rt.tz_for(ticket.agency_id)


def reporter(rt: Runtime, ticket: Ticket, viewer_role: str | None, lang: str = "id") -> str:
    """The reporter as ``viewer_role`` may see them (None: a group of people)."""
    pack = rt.pack_for(ticket.agency_id)
    if ticket.identity_mode == "anonymous" or not ticket.reporter_name:
        return pack.text("officer_reporter_anonymous", lang)
    if ticket.identity_mode == "confidential" and viewer_role not in MANAGERS:
        return pack.text("officer_reporter_confidential", lang)
    return ticket.reporter_name


def _common(rt: Runtime, session: Session, ticket: Ticket, viewer_role: str | None, lang: str) -> dict:
    pack = rt.pack_for(ticket.agency_id)  # the ticket's own agency's classes, units and wording
    sla = pack.agency.sla_class(ticket.sla_class)
    cat = pack.agency.category(ticket.category or "")
    svc = pack.service(ticket.service_id or "")
    assignee = get_officer(session, ticket.assignee_id) if ticket.assignee_id else None
    return dict(
        number=ticket.number, kind=pack.text(f"kind_{ticket.kind}", lang),
        status=pack.text(f"status_{'waiting' if ticket.status == 'waiting_citizen' else ticket.status}", lang),
        sla=sla.name.get(lang) if sla else ticket.sla_class,
        deadline=format_local(ticket.deadline_at, _tz(rt, ticket), lang),
        category=cat.name.get(lang) if cat else "-", service=svc.name if svc else "-",
        reporter=reporter(rt, ticket, viewer_role, lang), place=ticket.place or "-", occurred=ticket.occurred or "-",
        description=ticket.description, unit=(pack.agency.unit(ticket.unit).name if pack.agency.unit(ticket.unit) else ticket.unit),
        assignee=assignee.name if assignee else pack.text("officer_unassigned", lang),
    )


def new_ticket_text(rt: Runtime, session: Session, ticket: Ticket, lang: str = "id") -> str:
    values = _common(rt, session, ticket, None, lang)
    values["kind"] = values["kind"].capitalize()
    return rt.pack_for(ticket.agency_id).text("officer_new_ticket", lang, evidence=len(evidence_for(ticket, session)), **values)


def view_text(rt: Runtime, session: Session, ticket: Ticket, viewer: Officer, lang: str = "id") -> str:
    pack = rt.pack_for(ticket.agency_id)
    lines = [pack.text("officer_view", lang, **_common(rt, session, ticket, viewer.role, lang))]
    evidence = evidence_for(ticket, session)
    if evidence:
        lines += ["", pack.text("officer_view_evidence", lang, count=len(evidence))]
        for ev in evidence:
            link = evidence_link(rt.settings.public_base_url, rt.settings.secret_key, ev.id)
            lines.append(f"• {ev.mime}, {max(1, ev.size // 1024)} KB, sha256 {ev.sha256[:12]}…: {link}")
    lines += ["", pack.text("officer_view_history", lang)]
    for event in events_for(ticket, session):
        who = "warga" if event.actor_kind == "citizen" else "sistem" if event.actor_kind == "system" else None
        if who is None:
            officer = get_officer(session, event.actor_id) if event.actor_id else None
            who = officer.name if officer else "petugas"
        when = format_local(event.at, _tz(rt, ticket), lang)
        text = f": {event.text}" if event.text else ""
        lines.append(f"• {when} — {who} — {event.action}{text}")
    return "\n".join(lines)


def list_line(rt: Runtime, session: Session, ticket: Ticket, lang: str = "id") -> str:
    values = _common(rt, session, ticket, None, lang)
    assignee = f" — {values['assignee']}" if ticket.assignee_id else ""
    return rt.pack_for(ticket.agency_id).text("officer_list_line", lang, number=ticket.number, status=values["status"], sla=values["sla"],
                        deadline=values["deadline"], assignee=assignee)
