"""The survey's effect: store the answers given so far, anonymously, once per served transaction.

Not registered in ``workers/effects.py`` yet (the lead wires it with issue
10): add ``"save_survey_response": save_survey_response`` to its HANDLERS.
The conversation and citizen the worker passes are deliberately not stored.
"""
from __future__ import annotations

import logging

from bot.store.citizens import get_conversation
from bot.store.surveys import complete_response, save_partial_response
from flows.types import Message, Reply
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


def _conversation_agency(rt: Runtime, conversation_id: int | None) -> str:
    """The agency the conversation is with: the response counts in that agency's IKM."""
    with rt.sessions() as session:
        convo = get_conversation(session, conversation_id) if conversation_id else None
        return convo.agency_id if convo is not None else rt.default_agency
