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
from bot.snapshots import OfficerSnapshot
from bot.types import Reply
from workers.runtime import Runtime


def _prepare(rt: Runtime, officer: OfficerSnapshot, name: str, text: str, lang: str):
    """(pack, (period, figures, today)) of the officer's own agency, or (pack, the refusal's replies)."""
    pack, tz = rt.pack_for(officer.agency_id), rt.tz_for(officer.agency_id)
    today = datetime.now(ZoneInfo(tz)).date()
    try:
        period = chat.choose_period(pack, text, today, name)
        return pack, (period, gather(rt.sessions, officer.agency_id, period, tz), today)
    except BadPeriod:
        return pack, [Reply(pack.text("officer_bad_period", lang, text=text))]


def ikm_command(rt: Runtime, officer: OfficerSnapshot, text: str, lang: str) -> list[Reply]:
    """/ikm [periode]: the IKM of the period (``flows/officer_commands.py`` lets supervisors only)."""
    pack, found = _prepare(rt, officer, "ikm", text, lang)
    if isinstance(found, list):
        return found
    period, fig, _ = found
    return [Reply(chat.ikm_text(pack, fig, chat.period_title(pack, period)))]


def report_command(rt: Runtime, officer: OfficerSnapshot, text: str, lang: str) -> list[Reply]:
    """/laporan [periode]: the report's figures and its PDF for a supervisor."""
    pack, found = _prepare(rt, officer, "report", text, lang)
    if isinstance(found, list):
        return found
    period, fig, today = found
    title = chat.period_title(pack, period)
    file_name = f"{fig.agency}-{fig.period}.pdf"
    store_report(rt.settings.media_dir, file_name, render(pack, fig, period, "pdf", today))
    return [Reply(chat.report_text(pack, fig, title)),
            Reply(pack.text("officer_report_file", lang, file=file_name, args=chat.cli_args(period)),
                  document={"kind": "report", "file": file_name})]
