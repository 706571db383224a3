"""Gather a period's figures from the database and write the report files."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.content import Pack
from bot.reports.csv_out import render_csv
from bot.reports.figures import Figures, build_figures
from bot.reports.pdf import render_pdf
from bot.reports.periods import Period
from bot.reports.tables import all_tables
from bot.reports.xlsx import render_xlsx
from bot.store.reports import list_ticket_facts
from bot.store.surveys import list_responses_for_period

FORMATS = ("csv", "xlsx", "pdf")


def gather(sessions: sessionmaker[Session], agency: str, period: Period, tz: str) -> Figures:
    """Every figure of ``agency``'s report for ``period`` (bounds at the agency's local midnight)."""
    start, end = period.bounds(tz)
    facts = list_ticket_facts(sessions, agency, start, end)
    responses = list_responses_for_period(sessions, agency, start, end)
    return build_figures(agency, period.label, facts, responses, start, end)


def period_title(pack: Pack, period: Period) -> str:
    return period.title(pack.text("report_month_names").split("|"))


def render(pack: Pack, fig: Figures, period: Period, fmt: str, made_on: date) -> bytes:
    """One report file's bytes in ``fmt`` (csv, xlsx or pdf)."""
    title = period_title(pack, period)
    if fmt == "pdf":
        return render_pdf(pack, fig, period.kind, title, made_on)
    kind_title = pack.text("report_title_month" if period.kind == "month" else "report_title_semester")
    header = [kind_title, pack.agency.name, pack.text("report_period", period=title)]
    tables = all_tables(pack, fig)
    return render_csv(header, tables) if fmt == "csv" else render_xlsx(header, tables)


def write_reports(pack: Pack, fig: Figures, period: Period, formats: list[str], out_dir: Path,
                  made_on: date) -> list[Path]:
    """Write ``DIR/<agency>-<period>.<ext>`` for each format; return the paths in the order asked."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{fig.agency}-{fig.period}.{fmt}"
        path.write_bytes(render(pack, fig, period, fmt, made_on))
        paths.append(path)
    return paths
