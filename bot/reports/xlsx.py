"""The report as an XLSX workbook (openpyxl): one sheet per table, numbers as numbers.

Counts and measures stay numeric so staff can compute with them; the number
formats ("#,##0", "#,##0.00") show them with the separators of the reader's
Excel locale, which is 1.234,56 on an Indonesian desktop.
"""
from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.reports.tables import Table

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)


def _sheet_name(table: Table) -> str:
    return table.key[:31]  # Excel's limit


def render_xlsx(header: list[str], tables: list[Table]) -> bytes:
    """A workbook whose first rows of every sheet repeat ``header``, then the table from row 5."""
    book = Workbook()
    book.remove(book.active)
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table))
        for i, line in enumerate(header, 1):
            sheet.cell(row=i, column=1, value=line).font = TITLE if i == 1 else Font()
        sheet.cell(row=len(header) + 1, column=1, value=table.title).font = BOLD
        top = len(header) + 2
        for col, name in enumerate(table.columns, 1):
            sheet.cell(row=top, column=col, value=name).font = BOLD
        for r, row in enumerate(table.rows, top + 1):
            for col, value in enumerate(row, 1):
                cell = sheet.cell(row=r, column=col)
                if isinstance(value, Decimal):
                    places = max(0, -value.as_tuple().exponent)
                    cell.value = float(value)
                    cell.number_format = "#,##0." + "0" * places if places else "#,##0"
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.value = value
                    cell.number_format = "#,##0"
                else:
                    cell.value = value
                    if isinstance(value, str) and len(value) > 60:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
        for col in range(1, len(table.columns) + 1):
            widest = max([len(str(table.columns[col - 1]))] +
                         [len(str(row[col - 1])) for row in table.rows if col - 1 < len(row) and row[col - 1] is not None])
            sheet.column_dimensions[get_column_letter(col)].width = min(80, max(10, widest + 2))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
