"""``loket report``: the period's figures as JSON on stdout, or CSV/XLSX/PDF files in a folder."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.content import ContentError, load_pack
from bot.store.db import make_engine, make_session_factory
from bot.reports.build import FORMATS, gather, write_reports
from bot.reports.figures import to_json
from bot.reports.periods import BadPeriod, month, semester
from bot.settings import Settings
from bot.tenancy import default_agency


def _pack_dir(settings: Settings, agency: str) -> Path:
    if (settings.content_dir / "agency.yaml").exists():
        return settings.content_dir
    return settings.content_dir / agency


def report_command(settings: Settings, month_text: str | None, semester_text: str | None, agency: str | None,
                   formats_text: str, out_dir: str, as_json: bool, out: TextIO, err: TextIO) -> int:
    """Run the command; 0 on success, 2 on a bad argument."""
    agency = agency or default_agency(settings)
    try:
        period = month(month_text) if month_text else semester(semester_text or "")
    except BadPeriod as exc:
        print(f"loket report: {exc}", file=err)
        return 2
    formats = [f.strip().lower() for f in formats_text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        print(f"loket report: --format takes {', '.join(FORMATS)}; got {formats_text!r}", file=err)
        return 2
    try:
        pack = load_pack(_pack_dir(settings, agency))
    except ContentError as exc:
        print(f"loket report: agency {agency!r}: {exc}", file=err)
        return 2
    tz = settings.agency_timezone or pack.agency.timezone
    engine = make_engine(settings.database_url)
    try:
        fig = gather(make_session_factory(engine), agency, period, tz)
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps(to_json(fig), ensure_ascii=False, indent=2), file=out)
        return 0
    today = datetime.now(ZoneInfo(tz)).date()
    for path in write_reports(pack, fig, period, formats, Path(out_dir), today):
        print(path, file=out)
    return 0
