"""What supervisors read in chat for /ikm and /laporan: who may ask, which period, and the text. Pure."""
from __future__ import annotations

from datetime import date

from bot.content import Pack
from bot.reports.figures import Figures
from bot.reports.numbers import fmt_dec, fmt_int
from bot.reports.periods import Period, containing, parse_spoken, previous_month
from bot.reports.tables import element_name
from bot.skm.ikm import ELEMENTS

#: Roles that see the agency's figures (the complaint managers).
REPORT_ROLES = ("supervisor", "admin")


def may_see_reports(role: str | None) -> bool:
    """Only supervisors and admins: officers and citizens are refused."""
    return role in REPORT_ROLES


def month_words(pack: Pack) -> list[list[str]]:
    return [names.split(",") for names in pack.text("report_month_words").split("|")]


def choose_period(pack: Pack, text: str, today: date, command: str) -> Period:
    """The period typed after the command; by default this month for /ikm, last month for /laporan.

    Raises ``BadPeriod`` for words that name no period.
    """
    default = containing(today) if command == "ikm" else previous_month(today)
    return parse_spoken(text, today, month_words(pack), default)


def period_title(pack: Pack, period: Period) -> str:
    return period.title(pack.text("report_month_names").split("|"))


def ikm_text(pack: Pack, fig: Figures, title: str) -> str:
    """The IKM, its grade, the element values and whether the sample is large enough."""
    s = fig.skm
    if s.ikm is None:
        return pack.text("officer_ikm_none", period=title, responses=fmt_int(s.responses))
    elements = "\n".join(pack.text("officer_ikm_element", n=i, name=element_name(pack, u), nrr=fmt_dec(s.nrr[u]),
                                   grade=s.element_grades[u]) for i, u in enumerate(ELEMENTS, 1))
    return pack.text("officer_ikm", period=title, ikm=fmt_dec(s.ikm), grade=s.grade, words=s.grade_words,
                     responses=fmt_int(s.responses), min=fmt_int(s.min_respondents),
                     population=fmt_int(s.population),
                     warning="" if s.representative else pack.text("officer_ikm_short"), elements=elements)


def report_text(pack: Pack, fig: Figures, title: str) -> str:
    """The month's (or semester's) key figures as one chat message."""
    c, r, s = fig.complaints, fig.requests, fig.skm
    ikm = f"{fmt_dec(s.ikm)} ({s.grade}, {s.grade_words})" if s.ikm is not None else pack.text("report_skm_none")
    return pack.text("officer_report_summary", period=title, received=fmt_int(c.received),
                     in_time=fmt_int(c.closed_in_time), late=fmt_int(c.closed_late), open=fmt_int(c.open_at_end),
                     overdue=fmt_int(c.overdue_at_end), first=fmt_dec(c.median_hours_to_first_response),
                     close=fmt_dec(c.median_hours_to_close), requests_received=fmt_int(r.received),
                     requests_served=fmt_int(r.served), ikm=ikm)


def cli_args(period: Period) -> str:
    """The ``loket report`` arguments for ``period``."""
    return f"--{period.kind} {period.label}"
