"""The supervisors' chart: a unit's tickets per local day over the last 30 days, as a PNG for chat.

Drawn with matplotlib's object API on the Agg canvas: no display, no pyplot
global state, safe inside a worker. Tall enough to read on a phone held
upright; every label is in Bahasa Indonesia.
"""
from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from sqlalchemy.orm import sessionmaker

from bot.calendar.workdays import WorkingCalendar
from bot.store.models import DEFAULT_AGENCY
from bot.store.reports import unit_ticket_times

MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
LABEL_OPENED = "Masuk"
LABEL_CLOSED = "Selesai"
LABEL_OVERDUE = "Terlambat (masih terbuka)"
LABEL_Y = "Jumlah tiket"
LABEL_CLOSED_DAY = "hari libur / tutup"
COLOR_OPENED, COLOR_CLOSED, COLOR_OVERDUE, COLOR_CLOSED_DAY = "#2b6cb0", "#38a169", "#c53030", "#edf2f7"


def day_label(d: date) -> str:
    return f"{d.day} {MONTHS_SHORT[d.month - 1]}"


def daily_counts(sessions: sessionmaker, unit: str, now: datetime, tz: str, days: int = 30,
                 agency_id: str = DEFAULT_AGENCY) -> tuple[list[date], dict]:
    """Per local day (oldest first, today last): tickets opened, closed, and open past their deadline.

    "Overdue" is a snapshot at the end of each day (at ``now`` for today):
    tickets opened by then, not closed by then, whose deadline had passed.
    """
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    day_list = [today - timedelta(days=i) for i in range(days - 1, -1, -1)]
    start = datetime.combine(day_list[0], time(0), zone)
    tickets = unit_ticket_times(sessions, unit, start, now, agency_id)
    index = {d: i for i, d in enumerate(day_list)}
    opened, closed, overdue = [0] * days, [0] * days, [0] * days
    for opened_at, closed_at, _deadline in tickets:
        i = index.get(opened_at.astimezone(zone).date())
        if i is not None:
            opened[i] += 1
        if closed_at is not None and closed_at <= now:
            i = index.get(closed_at.astimezone(zone).date())
            if i is not None:
                closed[i] += 1
    for i, d in enumerate(day_list):
        checkpoint = min(datetime.combine(d + timedelta(days=1), time(0), zone), now)
        overdue[i] = sum(1 for opened_at, closed_at, deadline_at in tickets
                         if opened_at <= checkpoint and deadline_at < checkpoint
                         and (closed_at is None or closed_at > checkpoint))
    return day_list, {"opened": opened, "closed": closed, "overdue": overdue}


def render_chart(sessions: sessionmaker, unit: str, now: datetime, tz: str, days: int = 30, *,
                 unit_name: str | None = None, cal: WorkingCalendar | None = None,
                 agency_id: str = DEFAULT_AGENCY) -> bytes:
    """PNG of the unit's last ``days`` local days: opened and closed (bars), overdue and open (line).

    ``unit_name`` titles the chart (default: the unit id); with ``cal`` the
    days the office was closed are shaded.
    """
    day_list, counts = daily_counts(sessions, unit, now, tz, days, agency_id)
    xs = list(range(len(day_list)))
    fig = Figure(figsize=(7.2, 8.0), dpi=150, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    handles = []
    width = 0.4
    handles.append(ax.bar([x - width / 2 for x in xs], counts["opened"], width, color=COLOR_OPENED, zorder=2,
                          label=f"{LABEL_OPENED} ({sum(counts['opened'])})"))
    handles.append(ax.bar([x + width / 2 for x in xs], counts["closed"], width, color=COLOR_CLOSED, zorder=2,
                          label=f"{LABEL_CLOSED} ({sum(counts['closed'])})"))
    handles.extend(ax.plot(xs, counts["overdue"], color=COLOR_OVERDUE, linewidth=2.5, marker="o", markersize=4,
                           zorder=3, label=f"{LABEL_OVERDUE}: {counts['overdue'][-1]} hari ini"))
    closed_days = [x for x, d in zip(xs, day_list) if cal is not None and not cal.is_working_day(d)]
    for x in closed_days:
        span = ax.axvspan(x - 0.5, x + 0.5, color=COLOR_CLOSED_DAY, zorder=0, label=LABEL_CLOSED_DAY)
    if closed_days:
        handles.append(span)
    ticks = sorted({*range(len(xs) - 1, -1, -7)})
    ax.set_xticks(ticks, [day_label(day_list[i]) for i in ticks], fontsize=12)
    ax.get_xticklabels()[-1].set_horizontalalignment("right")  # today's label stays inside the picture
    ax.set_xlim(-0.6, len(xs) - 0.4)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", labelsize=12)
    top = max([*counts["opened"], *counts["closed"], *counts["overdue"], 1])
    ax.set_ylim(0, top * 1.15 + 0.5)
    ax.set_ylabel(LABEL_Y, fontsize=13)
    ax.grid(axis="y", color="#cbd5e0", linewidth=0.8, zorder=1)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    period = f"{day_label(day_list[0])} – {day_label(day_list[-1])} {day_list[-1].year}"
    ax.set_title(f"{unit_name or unit}\nTiket {len(day_list)} hari terakhir ({period})", fontsize=15,
                 fontweight="bold", loc="left")
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=1, fontsize=13,
              frameon=False)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()
