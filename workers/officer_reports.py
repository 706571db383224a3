"""/ikm and /laporan for supervisors: the figures from the database, worded by ``bot.reports.chat``.

/laporan also renders the period's PDF (as ``loket report`` does) into the
media folder and sends it as a document: uploaded on Telegram, a signed
link that expires on WhatsApp (``workers/delivery.py``).
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.reports import chat
from bot.reports.build import gather, render
from bot.reports.chat_files import store_report
from bot.reports.periods import BadPeriod
from bot.store.officer_desk import get_officer_snapshot
from flows.officer import Command
from bot.types import Reply
from workers.runtime import Runtime


def _allowed(rt: Runtime, officer_id: int) -> bool:
    officer = get_officer_snapshot(rt.sessions, officer_id)
    return officer is not None and officer.active and chat.may_see_reports(officer.role)


def _agency(rt: Runtime, officer_id: int) -> str:
    """The officer's agency: a supervisor sees their own agency's figures only."""
    officer = get_officer_snapshot(rt.sessions, officer_id)
    return officer.agency_id if officer is not None else rt.default_agency


def _figures(rt: Runtime, cmd: Command, lang: str, agency: str):
    pack = rt.pack_for(agency)
    tz = rt.tz_for(agency)
    today = datetime.now(ZoneInfo(tz)).date()
    period = chat.choose_period(pack, cmd.text, today, cmd.name)
    return period, gather(rt.sessions, agency, period, tz), today


def _prepare(rt: Runtime, officer_id: int, cmd: Command, lang: str):
    """(pack, (period, figures, today)) for a supervisor, or (pack, the refusal's replies)."""
    agency = _agency(rt, officer_id)
    pack = rt.pack_for(agency)
    if not _allowed(rt, officer_id):
        return pack, [Reply(pack.text("officer_not_allowed", lang))]
    try:
        return pack, _figures(rt, cmd, lang, agency)
    except BadPeriod:
        return pack, [Reply(pack.text("officer_bad_period", lang, text=cmd.text))]


def ikm_command(rt: Runtime, officer_id: int, cmd: Command, key: str, lang: str) -> list[Reply]:
    """/ikm [periode]: the IKM of the period for a supervisor; refused for anyone else."""
    pack, found = _prepare(rt, officer_id, cmd, lang)
    if isinstance(found, list):
        return found
    period, fig, _ = found
    return [Reply(chat.ikm_text(pack, fig, chat.period_title(pack, period)))]


def report_command(rt: Runtime, officer_id: int, cmd: Command, key: str, lang: str) -> list[Reply]:
    """/laporan [periode]: the report's figures and its PDF for a supervisor."""
    pack, found = _prepare(rt, officer_id, cmd, lang)
    if isinstance(found, list):
        return found
    period, fig, today = found
    title = chat.period_title(pack, period)
    file_name = f"{fig.agency}-{fig.period}.pdf"
    store_report(rt.settings.media_dir, file_name, render(pack, fig, period, "pdf", today))
    return [Reply(chat.report_text(pack, fig, title)),
            Reply(pack.text("officer_report_file", lang, file=file_name, args=chat.cli_args(period)),
                  document={"kind": "report", "file": file_name})]
