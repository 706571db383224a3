"""The survey flow's effects stored by the worker's handler: partial, completed, never rewritten, anonymous."""
from __future__ import annotations

from bot.content import load_pack
from bot.settings import PROJECT_ROOT
from bot.store.surveys import get_response
from flows import survey
from flows.types import Context
from tests.flows.conftest import NOW, make_message
from workers.survey_effects import save_survey_response


def _take(ctx, *answers, ref="ADU-2611-0042"):
    result = survey.start_survey({"lang": "id"}, ctx, ref, kind="complaint", unit="kesra")
    state, effects = result.state, []
    for text in answers:
        result = survey.handle(state, make_message(text), ctx)
        state = result.state
        effects += result.effects
    return effects


def test_each_answer_is_stored_and_stopping_keeps_them(loket):
    ctx = Context(pack=load_pack(PROJECT_ROOT / "content" / "buleleng-kesra"), now=NOW)
    msg = make_message("berhenti")
    for effect in _take(ctx, "4", "mudah", "cepat", "gratis", "berhenti"):
        assert save_survey_response(loket.runtime, effect.data, msg=msg, conversation_id=1, citizen_id=1) == []
    stored = get_response(loket.sessions, "ADU-2611-0042")
    assert stored.scores == {"u1": 4, "u2": 3, "u3": 3, "u4": 4, "u5": None, "u6": None, "u7": None, "u8": None,
                             "u9": None}
    assert stored.completed is False and stored.channel == "whatsapp" and stored.agency == "buleleng-kesra"
    assert stored.created_at == NOW


def test_a_completed_response_is_not_rewritten_by_a_second_survey(loket):
    ctx = Context(pack=load_pack(PROJECT_ROOT / "content" / "buleleng-kesra"), now=NOW)
    msg = make_message("x")
    for effect in _take(ctx, *["3"] * 9, "lewati", "lewati", "lewati", "lewati", "Bagus"):
        save_survey_response(loket.runtime, effect.data, msg=msg)
    for effect in _take(ctx, "1", "berhenti"):
        save_survey_response(loket.runtime, effect.data, msg=msg)
    stored = get_response(loket.sessions, "ADU-2611-0042")
    assert stored.completed and stored.scores["u1"] == 3 and stored.suggestion == "Bagus"
