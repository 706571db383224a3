"""SKM responses on SQLite and PostgreSQL: partial saves, one response per transaction, periods, anonymity."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from bot.store.db import session_scope
from bot.store.models import SurveyResponse
from bot.store.surveys import complete_response, get_response, list_responses_for_period, save_partial_response
from tests.store.factories import race

FOUR = {"u1": 4, "u2": 3, "u3": 3, "u4": 4}
NINE = {**FOUR, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 2}


def _save(sessions, ref="ADU-2611-0042", scores=FOUR, **kw):
    values = dict(agency="buleleng-kesra", transaction_ref=ref, kind="complaint", channel="whatsapp", scores=scores,
                  unit="kesra", service_id="konsultasi")
    values.update(kw)
    return save_partial_response(sessions, **values)


def test_a_partial_response_is_kept_with_empty_elements(sessions):
    assert _save(sessions) is True
    r = get_response(sessions, "ADU-2611-0042")
    assert r.scores == {**FOUR, "u5": None, "u6": None, "u7": None, "u8": None, "u9": None}
    assert r.completed is False and r.completed_at is None and r.channel == "whatsapp"
    assert r.created_at.tzinfo is not None


def test_each_save_replaces_the_snapshot_and_completion_closes_it(sessions):
    _save(sessions, scores={"u1": 2})
    _save(sessions, scores={"u1": 3, "u2": 4})
    assert complete_response(sessions, agency="buleleng-kesra", transaction_ref="ADU-2611-0042", kind="complaint",
                             channel="whatsapp", scores=NINE, profile={"gender": "female", "age": "30"},
                             suggestion="Tambah kursi") is True
    r = get_response(sessions, "ADU-2611-0042")
    assert r.scores == NINE and r.completed and r.completed_at is not None
    assert r.profile == {"gender": "female", "age": "30", "education": None, "occupation": None}
    assert r.suggestion == "Tambah kursi"
    # One response per served transaction: a completed one is never rewritten.
    assert _save(sessions, scores={"u1": 1}) is False
    assert complete_response(sessions, agency="buleleng-kesra", transaction_ref="ADU-2611-0042",
                             kind="complaint", channel="whatsapp", scores={"u1": 1}) is False
    assert get_response(sessions, "ADU-2611-0042").scores == NINE


def test_racing_first_saves_make_one_row(sessions):
    results = race(lambda i: _save(sessions, scores={"u1": 1 + i % 4}), n=6)
    assert all(results)
    with session_scope(sessions) as session:
        assert session.query(SurveyResponse).count() == 1


def test_scores_outside_1_to_4_are_refused_by_the_code_and_the_database(sessions):
    with pytest.raises(ValueError, match="u3 must be 1..4"):
        _save(sessions, scores={"u3": 5})
    with pytest.raises(ValueError, match="unknown survey element"):
        _save(sessions, scores={"u10": 2})
    with pytest.raises(IntegrityError):
        with session_scope(sessions) as session:
            now = datetime.now(timezone.utc)
            session.add(SurveyResponse(agency="a", transaction_ref="X-1", kind="complaint", channel="telegram",
                                       u1=0, lang="id", completed=False, created_at=now, updated_at=now))


def test_period_lists_the_agencys_responses_by_when_they_began(sessions):
    october_last_minute = datetime(2026, 10, 31, 15, 59, tzinfo=timezone.utc)  # 23:59 WITA
    _save(sessions, ref="ADU-2610-0001", at=october_last_minute)
    _save(sessions, ref="ADU-2611-0001", unit="umum", at=october_last_minute + timedelta(minutes=1))
    _save(sessions, ref="ADU-2611-0002", agency="kalbar-kesra", at=october_last_minute + timedelta(minutes=2))
    start, end = datetime(2026, 10, 31, 16, tzinfo=timezone.utc), datetime(2026, 11, 30, 16, tzinfo=timezone.utc)
    refs = [r.transaction_ref for r in list_responses_for_period(sessions, "buleleng-kesra", start, end)]
    assert refs == ["ADU-2611-0001"]
    assert list_responses_for_period(sessions, "buleleng-kesra", start - timedelta(minutes=1), end, unit="kesra")[0
           ].transaction_ref == "ADU-2610-0001"


def test_the_table_keeps_no_citizen_identity(engine):
    columns = {c["name"] for c in inspect(engine).get_columns("survey_responses")}
    assert not columns & {"citizen_id", "conversation_id", "chat_id", "identity", "display_name", "phone"}
