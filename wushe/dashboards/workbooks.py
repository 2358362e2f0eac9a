"""Excel files of the dashboards: the monthly report in its fixed layout, and each table
beside a chart as it is on the page."""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from wushe.dashboards.monthly import MonthlyReport
    from wushe.dashboards.tables import Column

BOLD = Font(bold=True)


def _save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(sheet, columns: int) -> None:
    sheet.column_dimensions["A"].width = 36
    for index in range(2, columns + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16


def monthly_workbook(report: MonthlyReport) -> bytes:
    """Three sheets, each: the header rows, a blank row, the column names on ``HEADER_ROW``,
    one row per indicator or child region, then the total row."""
    book = Workbook()
    book.remove(book.active)
    for part in report.sheets:
        sheet = book.create_sheet(part.title)
        for row in report.header_rows(part):
            sheet.append(row)
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        sheet.append(part.columns)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        sheet.freeze_panes = f"B{sheet.max_row + 1}"  # a string: no cell is created
        for row in part.rows:
            sheet.append(row)
        if part.total is not None:
            sheet.append(part.total)
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
        _widths(sheet, len(part.columns))
    return _save(book)


def table_workbook(
    *, title: str, heading: list[list], columns: list[Column], rows: list[dict], total=None
) -> bytes:
    """One table of a dashboard: a few heading rows, then the table as the page shows it."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on a sheet's name
    for row in heading:
        sheet.append(row)
    sheet.append([])
    sheet.append([str(column.label) for column in columns])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in rows:
        sheet.append([column.excel(row) for column in columns])
    if total is not None:
        cells = [column.excel(total) for column in columns]
        cells[0] = f"{_('Total')} · {cells[0]}"
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
    _widths(sheet, len(columns))
    return _save(book)
