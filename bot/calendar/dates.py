"""Dates as citizens read them: "Senin, 30 November 2026 pukul 15.30 WITA"."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

DAYS = {"id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
        "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]}
MONTHS = {"id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                 "Oktober", "November", "Desember"],
          "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]}
ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}


def zone_name(local: datetime) -> str:
    offset = local.utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset is not None else 0
    return ZONE_NAMES.get(hours, local.strftime("%Z"))


def format_local(moment: datetime, tz: str, lang: str = "id") -> str:
    local = moment.astimezone(ZoneInfo(tz))
    lang = lang if lang in DAYS else "id"
    day, month = DAYS[lang][local.weekday()], MONTHS[lang][local.month - 1]
    if lang == "id":
        return f"{day}, {local.day} {month} {local.year} pukul {local:%H.%M} {zone_name(local)}"
    return f"{day}, {local.day} {month} {local.year} at {local:%H:%M} {zone_name(local)}"
