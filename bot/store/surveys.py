"""SKM responses: saved as they are given, completed once, read back per period. Each function owns its transaction.

A response belongs to a served transaction (ticket or request number), not
to a person: nothing here takes or keeps a citizen, conversation or chat id,
so officers reading the figures cannot tell who answered what.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Mapping

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import session_scope
from bot.store.models import SURVEY_ELEMENTS, SURVEY_KINDS, SurveyResponse, utcnow

PROFILE_COLUMNS = {"gender": "gender", "age": "age_band", "education": "education", "occupation": "occupation"}


@dataclass(frozen=True)
class Response:
    """A stored response as the reports read it."""

    transaction_ref: str
    agency: str
    kind: str
    unit: str | None
    service_id: str | None
    channel: str
    scores: dict[str, int | None]
    profile: dict[str, str | None]
    suggestion: str | None
    completed: bool
    created_at: datetime
    completed_at: datetime | None = None
    lang: str = "id"


def _view(row: SurveyResponse) -> Response:
    return Response(
        transaction_ref=row.transaction_ref, agency=row.agency, kind=row.kind, unit=row.unit,
        service_id=row.service_id, channel=row.channel,
        scores={u: getattr(row, u) for u in SURVEY_ELEMENTS},
        profile={k: getattr(row, column) for k, column in PROFILE_COLUMNS.items()},
        suggestion=row.suggestion, completed=row.completed, created_at=row.created_at,
        completed_at=row.completed_at, lang=row.lang,
    )


def _check(kind: str, scores: Mapping[str, int | None]) -> None:
    if kind not in SURVEY_KINDS:
        raise ValueError(f"kind must be one of {', '.join(SURVEY_KINDS)}, got {kind!r}")
    for key, score in scores.items():
        if key not in SURVEY_ELEMENTS:
            raise ValueError(f"unknown survey element {key!r}")
        if score is not None and score not in (1, 2, 3, 4):
            raise ValueError(f"{key} must be 1..4, got {score!r}")


def _get(session: Session, transaction_ref: str) -> SurveyResponse | None:
    return session.scalars(select(SurveyResponse).where(SurveyResponse.transaction_ref == transaction_ref)
                           ).one_or_none()


def _write(sessions: sessionmaker[Session], *, completed: bool, agency: str, transaction_ref: str, kind: str,
           channel: str, scores: Mapping[str, int | None], profile: Mapping[str, str | None] | None,
           suggestion: str | None, unit: str | None, service_id: str | None, lang: str, at: datetime | None) -> bool:
    if not transaction_ref:
        raise ValueError("transaction_ref is required")
    _check(kind, scores)
    with session_scope(sessions) as session:
        row = _get(session, transaction_ref)
        if row is None:
            try:
                with session.begin_nested():  # two jobs for one transaction: the second updates the first's row
                    now = at or utcnow()
                    row = SurveyResponse(agency=agency, transaction_ref=transaction_ref, kind=kind, channel=channel,
                                         unit=unit, service_id=service_id, lang=lang, completed=False,
                                         created_at=now, updated_at=now)
                    session.add(row)
                    session.flush()
            except IntegrityError:
                row = _get(session, transaction_ref)
                if row is None:
                    raise
        if row.completed:
            return False  # one response per transaction: a finished one is never rewritten
        for key in SURVEY_ELEMENTS:
            setattr(row, key, scores.get(key))
        for key, column in PROFILE_COLUMNS.items():
            setattr(row, column, (profile or {}).get(key))
        row.suggestion = suggestion
        row.lang = lang
        row.updated_at = at or utcnow()
        if completed:
            row.completed = True
            row.completed_at = row.updated_at
        return True


def save_partial_response(sessions: sessionmaker[Session], *, agency: str, transaction_ref: str, kind: str,
                          channel: str, scores: Mapping[str, int | None],
                          profile: Mapping[str, str | None] | None = None, suggestion: str | None = None,
                          unit: str | None = None, service_id: str | None = None, lang: str = "id",
                          at: datetime | None = None) -> bool:
    """Store the answers given so far (the whole response, replacing the earlier snapshot); False if completed already.

    ``at``: when the answer was given (the message's time; default now). The
    first save's time is the response's ``created_at``, which places it in a period.
    """
    return _write(sessions, completed=False, agency=agency, transaction_ref=transaction_ref, kind=kind,
                  channel=channel, scores=scores, profile=profile, suggestion=suggestion, unit=unit,
                  service_id=service_id, lang=lang, at=at)


def complete_response(sessions: sessionmaker[Session], *, agency: str, transaction_ref: str, kind: str,
                      channel: str, scores: Mapping[str, int | None], profile: Mapping[str, str | None] | None = None,
                      suggestion: str | None = None, unit: str | None = None, service_id: str | None = None,
                      lang: str = "id", at: datetime | None = None) -> bool:
    """Store the final answers and mark the response completed; False if it was completed already."""
    return _write(sessions, completed=True, agency=agency, transaction_ref=transaction_ref, kind=kind,
                  channel=channel, scores=scores, profile=profile, suggestion=suggestion, unit=unit,
                  service_id=service_id, lang=lang, at=at)


def get_response(sessions: sessionmaker[Session], transaction_ref: str) -> Response | None:
    """The response for this transaction, or None (so an invitation is not sent twice)."""
    with session_scope(sessions) as session:
        row = _get(session, transaction_ref)
        return _view(row) if row is not None else None


def list_responses_for_period(sessions: sessionmaker[Session], agency: str, start: datetime, end: datetime,
                              unit: str | None = None, service_id: str | None = None) -> list[Response]:
    """The agency's responses begun in [start, end), oldest first; optionally one unit's or one service's."""
    query = select(SurveyResponse).where(SurveyResponse.agency == agency, SurveyResponse.created_at >= start,
                                         SurveyResponse.created_at < end)
    if unit is not None:
        query = query.where(SurveyResponse.unit == unit)
    if service_id is not None:
        query = query.where(SurveyResponse.service_id == service_id)
    with session_scope(sessions) as session:
        rows = session.scalars(query.order_by(SurveyResponse.created_at, SurveyResponse.id)).all()
        return [_view(r) for r in rows]
