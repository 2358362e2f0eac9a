"""Opening an upload: which format it is, which encoding a CSV uses, and its rows as stored.

The content decides the format where it can (a zip is a workbook, whatever it is called); the
name only tells a damaged workbook from a CSV. A CSV without a BOM is checked to the end as
UTF-8 before a row is read, then as GB18030 (a superset of the GBK that Chinese Excel writes):
deciding from the first kilobytes would fail half-way through a file whose first non-ASCII
character comes late. Checking is a fast decode in 1 MiB chunks; nothing is kept in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from os import PathLike, fspath
from pathlib import Path
from typing import IO

from openpyxl import load_workbook

from wushe.core.tabular.cells import STRIP, cell_text, is_blank_cell, is_scientific, stored_as_text
from wushe.core.tabular.problems import (
    BAD_ENCODING,
    TOO_LARGE,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
    RowError,
)

# A workbook is a zip; its shared strings are read into memory whole, so a zip bomb is refused
# before openpyxl sees it. A million-row import unpacks to a few hundred MB.
MAX_UNPACKED_BYTES = 1 << 30
_CHUNK = 1 << 20
_SPOOL_IN_MEMORY = 16 << 20
_DELIMITERS = ",\t;"  # Excel's CSV, its "Unicode text" (tab), and Excel in a comma-decimal locale
_OLE2 = b"\xd0\xcf\x11\xe0"


class SourceError(Exception):
    """The file cannot be read (further); ``error`` says why, for the report."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message_en)
        self.error = error


class Source:
    """A file's rows as stored, numbered as Excel numbers them (from 1)."""

    format: str
    encoding: str | None = None

    def __init__(self, binary: IO[bytes], owned: bool) -> None:
        self._binary = binary
        self._owned = owned

    def rows(self) -> Iterator[tuple[int, Sequence]]:
        raise NotImplementedError

    def last_row_estimate(self, number: int) -> int | None:
        raise NotImplementedError

    def close(self) -> None:
        if self._owned:
            self._binary.close()


class CsvSource(Source):
    format = "csv"

    def __init__(self, binary: IO[bytes], owned: bool) -> None:
        super().__init__(binary, owned)
        self.size = binary.seek(0, io.SEEK_END)
        self.encoding = detect_encoding(binary)
        self.delimiter = _detect_delimiter(binary, self.encoding)
        binary.seek(0)
        self._text = io.TextIOWrapper(binary, encoding=self.encoding, newline="")

    def rows(self) -> Iterator[tuple[int, Sequence[str]]]:
        number = 0
        try:
            # A quoted cell may hold line breaks: records, not lines, are Excel's rows.
            for number, cells in enumerate(csv.reader(self._text, delimiter=self.delimiter), 1):
                yield number, cells
        except (csv.Error, UnicodeDecodeError) as exc:
            detail = _detail(exc)
            raise SourceError(UNREADABLE_FILE.at(number + 1, kind="CSV", detail=detail)) from exc

    def last_row_estimate(self, number: int) -> int | None:
        # Rows so far, scaled by the share of bytes read (the decoder reads ahead 8 KiB).
        consumed = self._binary.tell()
        if not consumed:
            return None
        return max(number, round(number * self.size / consumed))

    @staticmethod
    def text(value: str) -> str:
        return value.strip(STRIP)

    @staticmethod
    def is_empty(cells: Sequence[str]) -> bool:
        return not "".join(cells).strip(STRIP)

    @staticmethod
    def lost_digits(value: str) -> bool:
        # CSV cells are all text; a number Excel wrote as 4.40305E+17 has lost its digits.
        return is_scientific(value.strip(STRIP))

    def close(self) -> None:
        if self._owned:
            self._text.close()
        else:
            self._text.detach()  # the caller's file stays open


class XlsxSource(Source):
    format = "xlsx"

    def __init__(self, binary: IO[bytes], owned: bool) -> None:
        super().__init__(binary, owned)
        try:
            with zipfile.ZipFile(binary) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise SourceError(UNREADABLE_FILE.at(0, kind="xlsx", detail=_detail(exc))) from exc
        if unpacked > MAX_UNPACKED_BYTES:
            raise SourceError(TOO_LARGE.at(0, limit=MAX_UNPACKED_BYTES >> 20))
        binary.seek(0)
        try:
            self._workbook = load_workbook(binary, read_only=True, data_only=True)
            sheet = self._workbook.worksheets[0]
        except Exception as exc:  # openpyxl raises a dozen kinds on a damaged workbook
            raise SourceError(UNREADABLE_FILE.at(0, kind="xlsx", detail=_detail(exc))) from exc
        # The declared size gives the progress total, but some writers declare it wrongly and
        # openpyxl would stop reading there: forget it before iterating.
        self._declared_rows = sheet.max_row
        sheet.reset_dimensions()
        self._sheet = sheet

    def rows(self) -> Iterator[tuple[int, Sequence]]:
        number = 0
        try:
            for number, cells in enumerate(self._sheet.iter_rows(values_only=True), 1):
                yield number, cells
        except Exception as exc:  # as above, from the XML of a damaged sheet
            detail = _detail(exc)
            raise SourceError(UNREADABLE_FILE.at(number + 1, kind="xlsx", detail=detail)) from exc

    def last_row_estimate(self, number: int) -> int | None:
        declared = self._declared_rows
        return declared if declared and declared >= number else None

    text = staticmethod(cell_text)

    @staticmethod
    def is_empty(cells: Sequence) -> bool:
        return all(is_blank_cell(value) for value in cells)

    @staticmethod
    def lost_digits(value: object) -> bool:
        return not stored_as_text(value)

    def close(self) -> None:
        self._workbook.close()
        super().close()


def open_source(source: str | PathLike[str] | IO[bytes]) -> Source:
    """Open a path or a binary file object (read from its start) as a CSV or a workbook."""
    binary, owned, name = _binary(source)
    try:
        binary.seek(0)
        head = binary.read(8)
        binary.seek(0)
        kind = _sniff(head, name)
        return XlsxSource(binary, owned) if kind == "xlsx" else CsvSource(binary, owned)
    except BaseException:
        if owned:
            binary.close()
        raise


def _binary(source: str | PathLike[str] | IO[bytes]) -> tuple[IO[bytes], bool, str]:
    if isinstance(source, str | PathLike):
        return open(source, "rb"), True, fspath(source)
    name = getattr(source, "name", "")
    name = name if isinstance(name, str) else ""
    seekable = getattr(source, "seekable", None)
    if seekable is not None and seekable():
        return source, False, name
    # A pipe or a network stream: spooled to memory, then to disk, so it can be re-read.
    spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)
    shutil.copyfileobj(source, spool)
    return spool, True, name


def _sniff(head: bytes, name: str) -> str:
    if head.startswith(b"PK"):
        return "xlsx"
    if head.startswith(_OLE2):  # a legacy .xls, or an .xlsx saved with a password
        raise SourceError(UNSUPPORTED_FORMAT.at(0, kind=".xls"))
    if head.startswith(b"%PDF"):
        raise SourceError(UNSUPPORTED_FORMAT.at(0, kind="PDF"))
    if head.lstrip().startswith(b"<"):  # many systems export an HTML table named .xls
        raise SourceError(UNSUPPORTED_FORMAT.at(0, kind="HTML/XML"))
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        raise SourceError(UNREADABLE_FILE.at(0, kind="xlsx", detail="not a zip archive"))
    return "csv"


def detect_encoding(binary: IO[bytes]) -> str:
    """The CSV's encoding, from its BOM, else the first of UTF-8 and GB18030 it decodes in."""
    binary.seek(0)
    head = binary.read(4)
    binary.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ("utf-8", "gb18030"):
        if _decodes(binary, encoding):
            return encoding
    raise SourceError(BAD_ENCODING.at(0))


def _decodes(binary: IO[bytes], encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    binary.seek(0)
    try:
        while chunk := binary.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        binary.seek(0)
    return True


def _detect_delimiter(binary: IO[bytes], encoding: str) -> str:
    binary.seek(0)
    text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(binary.read(1 << 16))
    first = next((line for line in text.splitlines() if line.strip(STRIP)), "")
    counts = {delimiter: first.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=counts.__getitem__)  # a tie keeps the comma
    return best if counts[best] else ","


def _detail(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
