"""Carry out officer commands: load the snapshots, let ``flows/officer_commands.py`` decide, apply, send.

The decision and its changes are one transaction (``bot.store.officer_desk``);
messages to the citizen or another officer go out after it commits.
"""
from __future__ import annotations

from bot.calendar.agency import deadline_for
from bot.store.models import utcnow
from bot.store.officer_desk import decide_on_ticket
from flows.officer import Command
from flows.officer_commands import Decision, Desk, Words, decide
from bot.types import Reply
from workers import invitations, relay
from workers.officer_reports import ikm_command, report_command
from workers.officer_send import officer_target, send_to_targets
from workers.runtime import Runtime
from workers.ticket_views import render_list, render_view

#: Supervisors' figures: read and worded by bot.reports (workers/officer_reports.py).
FIGURES = {"ikm": ikm_command, "report": report_command}


def run(rt: Runtime, officer_id: int, cmd: Command, key: str) -> list[Reply]:
    """Execute ``cmd`` for the officer; the replies go back to the chat the command came from."""
    now = utcnow()

    def decide_here(officer, ticket, unit_officers) -> Decision:
        pack = rt.pack_for(officer.agency_id)
        classes = tuple(pack.agency.sla_classes)
        deadlines = {}
        if ticket is not None and cmd.name == "class":
            calendar = rt.calendar_for(ticket.agency_id)
            deadlines = {c.id: deadline_for(pack, calendar, c.id, ticket.opened_at) for c in classes}
        tz = rt.tz_for(ticket.agency_id if ticket is not None else officer.agency_id)
        return decide(cmd, Desk(officer, ticket, now, tz, classes, deadlines, tuple(unit_officers)))

    number = None if cmd.problem else cmd.number
    decision, officer, ticket = decide_on_ticket(rt.sessions, officer_id, number, decide_here,
                                                 with_unit_officers=cmd.name == "assign" and not cmd.problem)
    pack = rt.pack_for(officer.agency_id)
    replies = [Reply(pack.text(w.key, "id", **w.values)) for w in decision.replies]
    for effect in decision.effects:
        replies = _carry_out(rt, effect, officer, ticket, key, replies)
    return replies


def _carry_out(rt: Runtime, effect, officer, ticket, key: str, replies: list[Reply]) -> list[Reply]:
    """Do one effect after the commit; returns the replies, reworded when the effect changes them."""
    pack = rt.pack_for(officer.agency_id)
    data = effect.data
    if effect.type == "show_list":
        return [Reply(render_list(rt, officer, data, "id"))]
    if effect.type == "show_ticket":
        return [Reply(render_view(rt, data["ticket_id"], officer.role, "id"))]
    if effect.type == "tell_officer":
        target = officer_target(data["officer"])
        if target is not None:
            send_to_targets(rt, [target], Reply(_say(pack, data["words"], "id")), f"{key}:{data['suffix']}")
        return replies
    if effect.type == "tell_citizen":
        text = _say(pack, data["words"], data["lang"])
        how = relay.to_citizen(rt, ticket.conversation_id, ticket.number, text, f"{key}:{data['suffix']}",
                               template_text=data["template_text"])
        return [Reply(_say(pack, data["if_failed"], "id"))] if how == "failed" else replies
    if effect.type == "show_figures":
        return FIGURES[data["name"]](rt, officer, data["period"], "id")
    if effect.type == "invite_survey":
        invitations.after_close(rt, data["number"])
        return replies
    raise ValueError(f"unknown officer effect {effect.type!r}")


def _say(pack, words: Words, lang: str) -> str:
    return pack.text(words.key, lang, **words.values)
