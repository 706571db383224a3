"""The report as CSV for spreadsheets set to Indonesian: ";" between cells, "," for decimals, UTF-8 with BOM."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from bot.reports.numbers import fmt_dec, fmt_int
from bot.reports.tables import Cell, Table


def cell_text(value: Cell) -> str:
    """A cell as Indonesian text: 1.234 / 84,03 / "" for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, Decimal):
        return fmt_dec(value, max(0, -value.as_tuple().exponent))
    return str(value)


def render_csv(header: list[str], tables: list[Table]) -> bytes:
    """``header`` lines (title, agency, period), then each table: its title, its columns, its rows, a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in header:
        writer.writerow([line])
    writer.writerow([])
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([cell_text(c) for c in row])
        writer.writerow([])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
