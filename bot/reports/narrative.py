"""The sentences of the SKM report's conclusion, from the figures only (nothing the figures do not say)."""
from __future__ import annotations

from bot.content import Pack
from bot.reports.figures import Figures
from bot.reports.numbers import fmt_dec, fmt_int
from bot.reports.tables import element_name
from bot.skm.ikm import ELEMENTS


def _elements(pack: Pack, fig: Figures, pick) -> str:
    nrr = {k: v for k, v in fig.skm.nrr.items() if v is not None}
    target = pick(nrr.values())
    return ", ".join(f"U{ELEMENTS.index(k) + 1} {element_name(pack, k)} ({fmt_dec(v)})"
                     for k, v in nrr.items() if v == target)


def conclusions(pack: Pack, fig: Figures, period_title: str) -> list[str]:
    """IKM and grade, the weakest and strongest elements, and whether the sample is large enough."""
    s, t = fig.skm, lambda key, **kw: pack.text(key, "id", **kw)  # noqa: E731
    lines = []
    if s.ikm is not None:
        lines.append(t("report_conclusion_ikm", period=period_title, ikm=fmt_dec(s.ikm), grade=s.grade,
                       words=s.grade_words))
    else:
        lines.append(t("report_conclusion_no_ikm", period=period_title))
    if any(v is not None for v in s.nrr.values()):
        lines.append(t("report_conclusion_lowest", elements=_elements(pack, fig, min)))
        lines.append(t("report_conclusion_highest", elements=_elements(pack, fig, max)))
    key = "report_conclusion_sample_ok" if s.representative else "report_conclusion_sample_short"
    lines.append(t(key, responses=fmt_int(s.responses), min=fmt_int(s.min_respondents),
                   population=fmt_int(s.population)))
    return lines
