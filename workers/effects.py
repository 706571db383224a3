"""Carry out what a flow asked for (tickets, status look-ups) and word the answer."""
from __future__ import annotations

import logging

from rq import Retry

from bot.ops import metrics
from bot.calendar.agency import deadline_for
from bot.calendar.dates import format_local
from bot.store.citizen_desk import (citizen_consent_at, conversation_agency, erase_citizen_data, file_ticket,
                                    find_conversation_ticket, list_conversation_tickets)
from bot.types import Effect, Message, Reply
from bot.queues import Queues, queue
from workers.runtime import Runtime
from workers.survey_effects import offer_survey, save_survey_response

log = logging.getLogger("loket.worker")
NOTIFY_RETRIES = 6
NOTIFY_INTERVALS = [5, 15, 30, 60, 300, 900]  # seconds: a Telegram outage of up to ~20 minutes


def apply(rt: Runtime, effect: Effect, *, msg: Message, conversation_id: int, citizen_id: int, state: dict) -> list[Reply]:
    if effect.type in OPENERS:
        # Opens a flow from what only the database knows; the turn's ``state`` is updated in place.
        return OPENERS[effect.type](rt, effect.data, msg=msg, conversation_id=conversation_id, state=state)
    handler = HANDLERS.get(effect.type)
    if handler is None:
        raise ValueError(f"unknown effect {effect.type!r}")
    return handler(rt, effect.data, msg=msg, conversation_id=conversation_id, citizen_id=citizen_id)


def _agency(rt: Runtime, conversation_id: int) -> str:
    """The agency the conversation is with now (on a front desk: the one of the service asked about)."""
    return conversation_agency(rt.sessions, conversation_id, rt.default_agency)


def _tz(rt: Runtime, agency_id: str | None = None) -> str:
    return rt.tz_for(agency_id)


def _create_ticket(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, citizen_id: int) -> list[Reply]:
    # The owning agency's unit, SLA classes, calendar and wording: the flow names it on a front desk.
    agency = data.get("agency") or _agency(rt, conversation_id)
    pack, cal, lang = rt.pack_for(agency), rt.calendar_for(agency), data.get("lang", "id")
    # In the agency's timezone: the number's YYMM is the local month (00:30 WITA on 1 Dec is December).
    opened = msg.received_at.astimezone(cal.tz)
    deadline = deadline_for(pack, cal, data.get("sla_class"), opened,
                            working_days=data.get("working_days"), hours=data.get("hours"))
    anonymous = data.get("identity") == "anonymous"
    prefix = pack.agency.ticket_prefixes[data["kind"]]
    filed = file_ticket(
        rt.sessions, conversation_id=conversation_id, citizen_id=citizen_id, anonymous=anonymous,
        evidence=data.get("evidence") or [], consent_at=opened,
        draft_key=data["key"], kind=data["kind"], prefix=prefix, unit=data["unit"],
        sla_class=data.get("sla_class") or pack.agency.sla_classes[0].id, deadline_at=deadline, opened_at=opened,
        service_id=data.get("service"), category=data.get("category"), identity_mode=data.get("identity", "named"),
        reporter_name=None if anonymous else data.get("name"), description=data["description"],
        place=data.get("place"), location=data.get("location"), occurred=data.get("occurred"),
        details=data.get("values") or {}, lang=lang, agency_id=agency)
    created, number, ticket_id, sla = filed.created, filed.ticket.number, filed.ticket.id, filed.ticket.sla_class
    if created:
        metrics.incr(rt.redis, "tickets_created_total", kind=data["kind"])
        log.info("ticket %s created", number, extra={"unit": data["unit"], "agency": agency})
    # Also on a re-run: a worker may have died before queueing it. Each notice has its own key.
    # Retried on Telegram or Twilio errors (the notice's parts that went out are skipped by their keys).
    queue(rt.redis, Queues.SEND, rt.settings.queue_prefix).enqueue(
        "workers.notify.notify_new_ticket", ticket_id, job_id=f"notify-{ticket_id}",
        retry=Retry(max=NOTIFY_RETRIES, interval=NOTIFY_INTERVALS), failure_ttl=7 * 24 * 3600)
    spec = pack.agency.sla_class(sla)
    key = "ticket_created" if data["kind"] == "complaint" else "request_created"
    text = pack.text(key, lang, number=number, sla=spec.name.get(lang) if spec else sla,
                     deadline=format_local(deadline, _tz(rt, agency), lang))
    return [Reply(text)]


def status_text(rt: Runtime, ticket, lang: str) -> str:
    """The ticket's status in its own agency's wording and timezone."""
    pack = rt.pack_for(ticket.agency_id)
    update = ticket.last_public_update or pack.text("no_update", lang)
    return pack.text("status_line", lang, number=ticket.number, kind=pack.text(f"kind_{ticket.kind}", lang),
                     status=pack.text(f"status_{_status_key(ticket.status)}", lang),
                     deadline=format_local(ticket.deadline_at, _tz(rt, ticket.agency_id), lang), update=update)


def _status_key(status: str) -> str:
    return {"waiting_citizen": "waiting"}.get(status, status)


def _check_status(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, citizen_id: int) -> list[Reply]:
    lang, pack = data.get("lang", "id"), rt.pack_for(_agency(rt, conversation_id))
    ticket = find_conversation_ticket(rt.sessions, data["number"], conversation_id)
    if ticket is None:
        # Another chat's ticket and a wrong number get the same answer: nothing leaks.
        return [Reply(pack.text("status_not_found", lang, number=data["number"]))]
    return [Reply(status_text(rt, ticket, lang))]


def _list_tickets(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, citizen_id: int) -> list[Reply]:
    lang, pack = data.get("lang", "id"), rt.pack_for(_agency(rt, conversation_id))
    tickets = list_conversation_tickets(rt.sessions, conversation_id)
    if not tickets:
        return [Reply(pack.text("my_tickets_none", lang))]
    lines = [pack.text("my_tickets_title", lang)]
    for tk in tickets[:20]:
        lines.append(f"• {tk.number}: {pack.text(f'status_{_status_key(tk.status)}', lang)}")
    return [Reply("\n".join(lines))]


def _export_data(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, citizen_id: int) -> list[Reply]:
    """What the service holds about this citizen, in their chat (UU 27/2022: the right to access)."""
    agency = _agency(rt, conversation_id)
    lang, pack = data.get("lang", "id"), rt.pack_for(agency)
    consent_at = citizen_consent_at(rt.sessions, citizen_id)
    lines = [pack.text("my_data_title", lang)]
    lines.append(pack.text("my_data_consent", lang, when=format_local(consent_at, _tz(rt, agency), lang))
                 if consent_at else pack.text("my_data_no_consent", lang))
    for tk in list_conversation_tickets(rt.sessions, conversation_id):
        identity = tk.reporter_name if tk.identity_mode != "anonymous" and tk.reporter_name else \
            pack.text(f"identity_{tk.identity_mode}", lang)
        lines.append(pack.text("my_data_ticket", lang, number=tk.number, kind=pack.text(f"kind_{tk.kind}", lang),
                               status=pack.text(f"status_{_status_key(tk.status)}", lang),
                               when=format_local(tk.opened_at, _tz(rt, tk.agency_id), lang), identity=identity))
    lines += ["", pack.text("my_data_footer", lang)]
    return [Reply("\n".join(lines))]


def _erase_data(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, citizen_id: int) -> list[Reply]:
    """Erase the citizen's personal data (the right to erasure); tickets stay as the agency's record."""
    erase_citizen_data(rt.sessions, citizen_id, msg.received_at)
    log.info("citizen data erased on request", extra={"channel": msg.channel})
    return [Reply(rt.pack_for(_agency(rt, conversation_id)).text("erase_done", data.get("lang", "id")))]


HANDLERS = {"create_ticket": _create_ticket, "check_status": _check_status, "list_tickets": _list_tickets,
            "export_data": _export_data, "erase_data": _erase_data, "save_survey_response": save_survey_response}
OPENERS = {"offer_survey": offer_survey}
