"""The period's figures from ticket facts and survey responses. Pure: no database, no clock, no wording.

Definitions (what each number counts):
- received: tickets opened in the period (complaints; consultations and requests separately);
- closed in time / late: complaints closed in the period at or before / after their deadline;
- open / overdue at end: complaints opened before the period's end and not closed by then
  (overdue: their deadline had passed by then). Reopened tickets count by their current state;
- median hours to first response: complaints received in the period that an officer answered
  (reply, request for information or final answer), from opening to that first answer;
- median hours to close: complaints closed in the period, from opening to closing;
- served (consultations, requests): closed in the period;
- SKM population: every transaction (ticket of any kind) served in the period, for Krejcie–Morgan.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from statistics import median
from typing import Iterable

from bot.skm.ikm import ELEMENTS, compute_index, element_grade, min_respondents, round_half_up
from bot.skm.questionnaire import PROFILE
from bot.skm.redact import redact
from bot.store.reports import TicketFacts
from bot.store.surveys import Response

REQUEST_KINDS = ("consultation", "request")
#: A unit's or service's IKM is shown only from this many respondents: below it, the "index" of one or two
#: people is their own answers, readable by anyone who knows who was served.
MIN_GROUP = 3


@dataclass
class ComplaintFigures:
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_class: dict[str, int] = field(default_factory=dict)
    by_unit: dict[str, int] = field(default_factory=dict)
    closed_in_time: int = 0
    closed_late: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    median_hours_to_first_response: Decimal | None = None
    median_hours_to_close: Decimal | None = None

    @property
    def closed(self) -> int:
        return self.closed_in_time + self.closed_late

    @property
    def in_time_share(self) -> Decimal | None:
        """Percentage of closed complaints closed within the deadline (2 decimals), None when none closed."""
        return round_half_up(Fraction(100 * self.closed_in_time, self.closed), 2) if self.closed else None


@dataclass
class RequestFigures:
    received: int = 0
    served: int = 0
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> {"received", "served"}


@dataclass
class SkmFigures:
    responses: int = 0
    completed: int = 0
    population: int = 0
    min_respondents: int = 0
    answered: dict[str, int] = field(default_factory=dict)
    nrr: dict[str, Decimal | None] = field(default_factory=dict)  # 2 decimals
    nrr_exact: dict[str, Fraction | None] = field(default_factory=dict)
    element_grades: dict[str, str | None] = field(default_factory=dict)
    ikm: Decimal | None = None
    grade: str | None = None
    grade_words: str | None = None
    profile: dict[str, dict[str, int]] = field(default_factory=dict)  # field -> code (or "none") -> n
    #: ("unit" | "service", id) -> (respondents, IKM or None, grade or None)
    groups: dict[tuple[str, str], tuple[int, Decimal | None, str | None]] = field(default_factory=dict)
    suggestions: list[str] = field(default_factory=list)

    @property
    def representative(self) -> bool:
        return self.responses >= self.min_respondents


@dataclass
class Figures:
    agency: str
    period: str
    complaints: ComplaintFigures
    requests: RequestFigures
    skm: SkmFigures


def _hours(later: datetime, earlier: datetime) -> Fraction:
    return Fraction(int((later - earlier).total_seconds()), 3600)


def _median(values: list[Fraction]) -> Decimal | None:
    return round_half_up(median(values), 2) if values else None


def _in(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def complaint_figures(facts: Iterable[TicketFacts], start: datetime, end: datetime) -> ComplaintFigures:
    """Count the period's complaints (see the module's definitions)."""
    fig = ComplaintFigures()
    counters = {name: Counter() for name in ("by_channel", "by_category", "by_class", "by_unit")}
    first, close = [], []
    for t in facts:
        if t.kind != "complaint":
            continue
        if _in(t.opened_at, start, end):
            fig.received += 1
            counters["by_channel"][t.channel] += 1
            counters["by_category"][t.category or "-"] += 1
            counters["by_class"][t.sla_class] += 1
            counters["by_unit"][t.unit] += 1
            if t.first_response_at is not None:
                first.append(_hours(t.first_response_at, t.opened_at))
        if _in(t.closed_at, start, end):
            close.append(_hours(t.closed_at, t.opened_at))
            if t.closed_at <= t.deadline_at:
                fig.closed_in_time += 1
            else:
                fig.closed_late += 1
        if t.opened_at < end and (t.closed_at is None or t.closed_at >= end):
            fig.open_at_end += 1
            fig.overdue_at_end += int(t.deadline_at < end)
    for name, counter in counters.items():
        setattr(fig, name, dict(sorted(counter.items())))
    fig.median_hours_to_first_response, fig.median_hours_to_close = _median(first), _median(close)
    return fig


def request_figures(facts: Iterable[TicketFacts], start: datetime, end: datetime) -> RequestFigures:
    """Consultations and requests received and served in the period, together and per kind."""
    fig = RequestFigures(by_kind={k: {"received": 0, "served": 0} for k in REQUEST_KINDS})
    for t in facts:
        if t.kind not in REQUEST_KINDS:
            continue
        if _in(t.opened_at, start, end):
            fig.received += 1
            fig.by_kind[t.kind]["received"] += 1
        if _in(t.closed_at, start, end):
            fig.served += 1
            fig.by_kind[t.kind]["served"] += 1
    return fig


def skm_figures(responses: list[Response], population: int) -> SkmFigures:
    """NRR, IKM and grade of the period's responses; the profile's counts; the suggestions, redacted."""
    index = compute_index(r.scores for r in responses if any(v is not None for v in r.scores.values()))
    counted = [r for r in responses if any(v is not None for v in r.scores.values())]
    fig = SkmFigures(responses=len(counted), completed=sum(r.completed for r in counted), population=population,
                     min_respondents=min_respondents(population), answered=dict(index.answered),
                     nrr=index.nrr_rounded(2), nrr_exact=dict(index.nrr))
    fig.element_grades = {k: element_grade(v).letter if v is not None else None for k, v in index.nrr.items()}
    if index.ikm is not None:
        fig.ikm, fig.grade, fig.grade_words = index.ikm, index.grade.letter, index.grade.words
    for name, codes in PROFILE.items():
        counts = Counter(r.profile.get(name) or "none" for r in counted)
        fig.profile[name] = {code: counts.get(code, 0) for code in (*codes, "none")}
    fig.suggestions = [redact(r.suggestion) for r in counted if r.suggestion and r.suggestion.strip()]
    for group, attribute in (("unit", "unit"), ("service", "service_id")):
        for value in sorted({getattr(r, attribute) for r in counted if getattr(r, attribute)}):
            members = [r for r in counted if getattr(r, attribute) == value]
            if len(members) < MIN_GROUP:
                fig.groups[(group, value)] = (len(members), None, None)
                continue
            sub = compute_index(r.scores for r in members)
            fig.groups[(group, value)] = (len(members), sub.ikm, sub.grade.letter if sub.grade else None)
    return fig


def build_figures(agency: str, period: str, facts: list[TicketFacts], responses: list[Response],
                  start: datetime, end: datetime) -> Figures:
    """Every figure of the report for one agency and period."""
    population = sum(1 for t in facts if _in(t.closed_at, start, end))
    return Figures(agency=agency, period=period, complaints=complaint_figures(facts, start, end),
                   requests=request_figures(facts, start, end), skm=skm_figures(responses, population))


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def to_json(fig: Figures) -> dict:
    """The figures in the shape ``loket report --json`` prints (``shared/INTERFACE.md``)."""
    c, s = fig.complaints, fig.skm
    return {
        "agency": fig.agency,
        "period": fig.period,
        "complaints": {
            "received": c.received, "by_channel": c.by_channel, "by_class": c.by_class,
            "closed_in_time": c.closed_in_time, "closed_late": c.closed_late,
            "open_at_end": c.open_at_end, "overdue_at_end": c.overdue_at_end,
            "median_hours_to_first_response": _number(c.median_hours_to_first_response),
            "median_hours_to_close": _number(c.median_hours_to_close),
        },
        "requests": {"received": fig.requests.received, "served": fig.requests.served},
        "skm": {
            "responses": s.responses, "min_respondents": s.min_respondents,
            "nrr": {k: _number(s.nrr.get(k)) for k in ELEMENTS},
            "ikm": _number(s.ikm), "grade": s.grade, "grade_words": s.grade_words,
        },
    }
