"""Reading an uploaded table by its headers, one row at a time.

    with read_table(upload, columns=[Column("姓名"), Column("身份证号", text_only=True)]) as table:
        if not table.usable:            # a file-level problem: table.errors says which
            ...
        for row in table:               # Row(number=2, values={"姓名": "张三", ...})
            ...
        table.errors.write("errors.xlsx")

Headers are found by name in the first non-blank row, in any order; the values come back as
stripped text, keyed by the column's name whichever alias the file used. A table is read once,
streaming: a million-row CSV never sits in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from os import PathLike
from typing import IO

from openpyxl.utils import get_column_letter

from wushe.core.tabular.cells import header_key
from wushe.core.tabular.problems import (
    DUPLICATE_COLUMN,
    EMPTY_FILE,
    MISSING_COLUMN,
    NOT_TEXT,
    ErrorReport,
    RowError,
)
from wushe.core.tabular.sources import Source, SourceError, open_source

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class Column:
    """A column the importer wants; ``aliases`` are other headers users write for it.

    ``text_only`` marks identifiers such as ID numbers: a workbook cell stored as a number, a
    date or a boolean, or a CSV cell in scientific notation (4.40305E+17), is reported
    ``not_text``. Excel keeps 15 significant digits and drops leading zeros, and nothing in
    the cell says whether it did, so any number there is suspect.
    """

    name: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    text_only: bool = False


@dataclass(slots=True)
class Row:
    """One non-empty data row. ``number`` is the row as Excel shows it (the header is 1).

    ``values`` holds every wanted column (absent optional ones as ""). ``raw`` holds the cells
    as the file stored them: int, float, datetime… from a workbook, and for a CSV, where every
    cell is text, the same dict as ``values``. ``errors`` are the reader's own findings for this
    row (``not_text``); they are in the table's report too.
    """

    number: int
    values: dict[str, str]
    raw: dict[str, object]
    errors: tuple[RowError, ...] = ()


class Table:
    """An opened table: its headers, how it was read, and its rows (iterate once)."""

    def __init__(self, columns: Sequence[Column], progress: Progress | None, every: int) -> None:
        self.columns = list(columns)
        self.errors = ErrorReport()
        self.file_errors: list[RowError] = []
        self.format: str | None = None  # "xlsx" or "csv"
        # A CSV's: "utf-8", "utf-8-sig" (with a BOM), "gb18030" or "utf-16"; None for xlsx.
        self.encoding: str | None = None
        self.header_row = 0
        self.headers: list[str] = []
        self.unknown_columns: list[str] = []
        self.absent_columns: list[str] = []
        self.progress = progress
        self.progress_every = every
        self._source: Source | None = None
        self._rows: Iterator[tuple[int, Sequence]] = iter(())
        self._present: list[tuple[str, int]] = []
        self._iterated = False

    def __repr__(self) -> str:
        return f"<Table {self.format} headers={self.headers} errors={len(self.errors)}>"

    @property
    def usable(self) -> bool:
        """No file-level problem so far (a damaged file may still stop part-way through)."""
        return not self.file_errors

    def __iter__(self) -> Iterator[Row]:
        if self._iterated:
            raise RuntimeError("a Table is read once: call read_table() again to re-read it")
        self._iterated = True
        try:
            if self.usable:
                yield from self._data_rows()
        except SourceError as exc:
            self._fail(exc.error)
        finally:
            self.close()

    def _data_rows(self) -> Iterator[Row]:
        source, rows, header = self._source, self._rows, self.header_row
        text, is_empty, lost_digits = source.text, source.is_empty, source.lost_digits
        present, absent = self._present, self.absent_columns
        checked = [(name, at) for name, at in present if self._column(name).text_only]
        typed = source.format == "xlsx"
        every = self.progress_every if self.progress else 0
        number = header
        self._report_progress(header)
        for number, cells in rows:
            if every and (number - header) % every == 0:
                self._report_progress(number)
            if is_empty(cells):
                continue
            width = len(cells)
            values = {name: text(cells[at]) if at < width else "" for name, at in present}
            for name in absent:
                values[name] = ""
            raw: dict[str, object] = values
            if typed:
                raw = {name: cells[at] if at < width else None for name, at in present}
                raw.update(dict.fromkeys(absent))
            errors: tuple[RowError, ...] = ()
            for name, at in checked:
                if at < width and lost_digits(cells[at]):
                    errors += (NOT_TEXT.at(number, name, column=name),)
            self.errors.extend(errors)
            yield Row(number, values, raw, errors)
        if self.progress:
            self.progress(number - header, number - header)

    def _report_progress(self, number: int) -> None:
        if not self.progress:
            return
        last = self._source.last_row_estimate(number)
        header = self.header_row
        self.progress(number - header, None if last is None else last - header)

    def _column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    def _fail(self, error: RowError) -> None:
        self.file_errors.append(error)
        self.errors.append(error)

    def _open(self, source: str | PathLike[str] | IO[bytes]) -> None:
        try:
            self._source = open_source(source)
        except SourceError as exc:
            self._fail(exc.error)
            return
        self.format = self._source.format
        self.encoding = self._source.encoding
        self._rows = self._source.rows()
        try:
            self._read_header()
        except SourceError as exc:
            self._fail(exc.error)
        if not self.usable:
            self.close()

    def _read_header(self) -> None:
        source = self._source
        for number, cells in self._rows:
            if not source.is_empty(cells):
                self.header_row = number
                self._match_headers([source.text(cell) for cell in cells])
                return
        self._fail(EMPTY_FILE.at(0))

    def _match_headers(self, headers: list[str]) -> None:
        self.headers = [header for header in headers if header]
        by_key = _columns_by_key(self.columns)
        found: dict[str, int] = {}
        for at, header in enumerate(headers):
            if not header:
                continue
            column = by_key.get(header_key(header))
            if column is None:
                self.unknown_columns.append(header)
            elif column.name in found:
                first, second = get_column_letter(found[column.name] + 1), get_column_letter(at + 1)
                self._fail(
                    DUPLICATE_COLUMN.at(
                        self.header_row, column.name, column=column.name, first=first, second=second
                    )
                )
            else:
                found[column.name] = at
        self._present = list(found.items())
        for column in self.columns:
            if column.name in found:
                continue
            self.absent_columns.append(column.name)
            if column.required:
                self._fail(MISSING_COLUMN.at(self.header_row, column.name, column=column.name))

    def close(self) -> None:
        if self._source is not None:
            source, self._source = self._source, None
            source.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _columns_by_key(columns: Sequence[Column]) -> dict[str, Column]:
    by_key: dict[str, Column] = {}
    for column in columns:
        for label in (column.name, *column.aliases):
            key = header_key(label)
            if by_key.get(key, column) is not column:
                other = by_key[key].name
                raise ValueError(f"columns {other!r} and {column.name!r} share {label!r}")
            by_key[key] = column
    return by_key


def read_table(
    source: str | PathLike[str] | IO[bytes],
    *,
    columns: Sequence[Column],
    progress: Progress | None = None,
    progress_every: int = 1000,
) -> Table:
    """Open ``source`` (a path, or a binary file read from its start) and read its headers.

    The format comes from the content (a workbook is a zip), the encoding of a CSV from its BOM
    or by checking UTF-8 then GB18030 (``Table.encoding`` says which). File-level problems land
    in ``table.file_errors`` (and ``table.errors``) and leave no rows to iterate; an unreadable
    file never raises. Only a missing path raises (OSError).

    ``progress(rows_done, total)`` is called after the header, every ``progress_every`` rows
    and at the end, where total equals rows_done. Both count sheet rows after the header,
    blank ones included; total comes from a workbook's declared size, is estimated for a CSV
    from the bytes read against the file's size, and is None when unknown.
    """
    table = Table(columns, progress, max(1, progress_every))
    _columns_by_key(table.columns)  # a programming error (two columns share a header) fails here
    table._open(source)
    return table
