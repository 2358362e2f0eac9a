"""Writing a small table as .csv or .xlsx, chosen by the file's extension.

Shared by the error report and the import template. CSV is written in UTF-8 with a BOM: without
it Excel opens a CSV in the system's code page (GBK on a Chinese Windows) and shows mojibake.
The workbook is written in openpyxl's write-only mode, so a report of many rows streams out.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Sequence
from os import PathLike, fspath
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

TEXT_FORMAT = "@"  # Excel's "Text" number format
# A CSV cell starting with one of these is a formula to Excel (CSV injection, OWASP).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | None


def extension_of(path: str | PathLike[str]) -> str:
    suffix = Path(fspath(path)).suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise ValueError(f"{fspath(path)}: expected a .csv or .xlsx file name")
    return suffix


def write_rows(
    path: str | PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    widths: Sequence[float] | None = None,
    text_columns: Collection[int] = (),
) -> None:
    """Write ``headers`` then ``rows``; ``text_columns`` (0-based) are formatted as text."""
    if extension_of(path) == ".csv":
        _write_csv(path, headers, rows, text_columns)
    else:
        _write_xlsx(path, headers, rows, widths or fitted_widths(headers), text_columns)


def fitted_widths(headers: Sequence[str], minimum: float = 10) -> list[float]:
    # A CJK character is about two Latin characters wide in Excel's default font.
    return [max(minimum, sum(2 if ord(char) > 0x2E7F else 1 for char in h) + 4) for h in headers]


def _write_csv(
    path: str | PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    text_columns: Collection[int],
) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(
                [_csv_cell(value, index in text_columns) for index, value in enumerate(row)]
            )


def _csv_cell(value: Cell, text: bool) -> Cell:
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_STARTS):
        return "'" + value
    if text and value:
        # Excel turns a long digit string from a CSV into a number (4.40305E+17) and loses
        # digits on saving; a leading tab keeps it text, and the reader strips it again.
        return "\t" + value
    return value


def _write_xlsx(
    path: str | PathLike[str],
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    text_columns: Collection[int],
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    for index in text_columns:
        # The column's own style: cells the user types into later are text too.
        sheet.column_dimensions[get_column_letter(index + 1)].number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for index, header in enumerate(headers):
        cell = _xlsx_cell(sheet, header, index in text_columns)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, v, i in text_columns) for i, v in enumerate(row)])
    workbook.save(fspath(path))


def _xlsx_cell(sheet, value: Cell, text: bool) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if text:
        cell.number_format = TEXT_FORMAT
    return cell
