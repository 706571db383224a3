"""The survey's effects: store the answers given so far (anonymously, once per served transaction),
and open the survey when the citizen asks for it ("isi survei").

The conversation and citizen the worker passes are deliberately not stored with a response.
"""
from __future__ import annotations

import logging

from bot.store.citizen_desk import conversation_agency
from bot.store.survey_invites import latest_unrated
from bot.store.surveys import complete_response, save_partial_response
from flows import events
from bot.types import Message, Reply
from flows.types import Context
from workers.runtime import Runtime

log = logging.getLogger("loket.worker")


def save_survey_response(rt: Runtime, data: dict, *, msg: Message, conversation_id: int | None = None,
                         citizen_id: int | None = None) -> list[Reply]:
    """Upsert the response snapshot in ``data`` (from ``flows.survey``); a completed one is never rewritten."""
    save = complete_response if data.get("completed") else save_partial_response
    agency = data.get("agency") or _conversation_agency(rt, conversation_id)
    stored = save(rt.sessions, agency=agency, transaction_ref=data["ref"],
                  kind=data.get("kind") or "other", channel=msg.channel, scores=data.get("scores") or {},
                  profile=data.get("profile") or {}, suggestion=data.get("suggestion"), unit=data.get("unit"),
                  service_id=data.get("service"), lang=data.get("lang") or "id", at=msg.received_at)
    if not stored:
        log.info("survey response for a completed transaction ignored", extra={"kind": data.get("kind")})
    return []


def offer_survey(rt: Runtime, data: dict, *, msg: Message, conversation_id: int, state: dict) -> list[Reply]:
    """Open the survey for the conversation's latest served transaction not yet rated, or say there is none.

    ``state`` is the turn's new state, changed in place: the worker saves it after the effects.
    """
    invitation = latest_unrated(rt.sessions, conversation_id)
    agency = _conversation_agency(rt, conversation_id)
    ctx = Context(pack=rt.pack_for(agency), now=msg.received_at, calendar=rt.calendar_for(agency))
    if invitation is None:
        return [Reply(events.offer_text(ctx, state))]
    result = events.open_flow(state, ctx, "survey", invitation.survey_args(), state.get("lang", "id"))
    state.clear()
    state.update(result.state)
    return list(result.replies)


def _conversation_agency(rt: Runtime, conversation_id: int | None) -> str:
    """The agency the conversation is with: the response counts in that agency's IKM."""
    return conversation_agency(rt.sessions, conversation_id, rt.default_agency)
