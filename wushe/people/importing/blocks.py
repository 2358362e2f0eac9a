"""A CSV read as blocks of whole lines, each parsed where it is checked (in a child, see
``parallel``), instead of row by row in the parent.

``core.tabular`` reads a sheet one row at a time in one process: about 5 µs a row, a quarter of
a million-row import, all of it in the parent while the children wait. A CSV without a quote
character has one record per line, so the parent can cut its bytes after any line break
without reading them, and the children decode and parse their own blocks. A block's rows are
numbered from 0 where it is parsed and renumbered by the parent, which takes the blocks back
in order and so knows how many lines came before (:func:`renumber`). Whatever a block's parse
finds is what ``core.tabular`` would have found for those rows — the same cells, stripped the
same way, the same blank rows skipped, the same ``not_text`` error for an ID number Excel wrote
in scientific notation, the same row numbers — and the tests compare the two on awkward files.

Only a file that ``read_table`` opened as a usable CSV, in UTF-8 (with or without a BOM) or
GB18030 (whose multi-byte characters never contain a line break, delimiter or quote byte),
with no quote and no NUL byte anywhere, and whose header the same rules find in the same
columns, is read this way (:func:`layout_of`); any other goes through ``read_table``'s rows.
So does one with a BOM whose text turns out not to be UTF-8 (:class:`NotInBlocks`: nobody
checked beyond the BOM, and where ``read_table`` stops depends on how it buffers).
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from operator import itemgetter
from typing import IO

from wushe.core.tabular import Table
from wushe.core.tabular.cells import STRIP, header_key, is_scientific
from wushe.core.tabular.problems import NOT_TEXT, UNREADABLE_FILE
from wushe.people.importing import columns as c
from wushe.people.importing.checking import COLUMN_NAMES, Checked, Error, Record, error

_PIECE = 1 << 20
_HEAD = 1 << 16  # bytes read for the header, and the length of a line
_DELIMITERS = ",\t;"
_ENCODINGS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "gb18030": "gb18030"}
_ID_AT = COLUMN_NAMES.index(c.ID_NUMBER)
_STRIPS = (STRIP,) * len(COLUMN_NAMES)


class NotInBlocks(Exception):
    """A block turned out not to be text in the file's encoding: read the file row by row."""


@dataclass(frozen=True)
class Layout:
    """Where a CSV's data rows lie: from byte ``start`` to ``size``, the first numbered
    ``first`` (the header's number + 1), about ``line_bytes`` bytes a line; how to decode and
    split them; and at which cell each of ``COLUMN_NAMES`` is (None: the sheet lacks it)."""

    start: int
    first: int
    size: int
    line_bytes: float
    encoding: str
    delimiter: str
    positions: tuple[int | None, ...]

    @property
    def lines(self) -> int:
        """An estimate of the data lines, for progress."""
        return round((self.size - self.start) / self.line_bytes)


def layout_of(binary: IO[bytes], table: Table) -> Layout | None:
    """The data rows' layout when the file can be read in blocks (see above), else None."""
    encoding = _ENCODINGS.get(table.encoding or "")
    if table.format != "csv" or encoding is None or not table.usable:
        return None
    binary.seek(0)
    size = 0
    while piece := binary.read(_PIECE):  # a memchr each: about 0.1 ms a megabyte
        if b'"' in piece or b"\x00" in piece:
            return None
        size += len(piece)
    binary.seek(0)
    head = binary.read(_HEAD)
    start = _line_end(head, table.header_row)
    if start is None:
        return None
    delimiter = _delimiter(head, table.encoding)
    header = head[:start].decode(table.encoding).splitlines()[-1]
    positions = _positions(header, delimiter, table)
    if positions is None:
        return None
    sample = head[start:]
    line_bytes = len(sample) / max(_breaks(sample), 1)
    return Layout(start, table.header_row + 1, size, line_bytes, encoding, delimiter, positions)


def blocks(binary: IO[bytes], layout: Layout, rows: int) -> Iterator[bytes]:
    """Blocks of about ``rows`` whole lines each, the last line's break included."""
    target = max(1, round(rows * layout.line_bytes))
    binary.seek(layout.start)
    while block := binary.read(target):
        yield block + _rest_of_line(binary, block)


def records(data: bytes, layout: Layout) -> tuple[list[Record], list[Error], int, tuple]:
    """The rows of a block as ``read_table`` would give them, numbered from 0: (records, the
    reader's own errors (``not_text``), the lines read, and (row, detail) if the CSV is damaged
    there, else ()). Raises NotInBlocks if the bytes are not text in the file's encoding."""
    try:
        text = data.decode(layout.encoding)
    except UnicodeDecodeError:
        raise NotInBlocks from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    positions = layout.positions
    needed = max((at for at in positions if at is not None), default=-1) + 1
    cells_of = itemgetter(*(-1 if at is None else at for at in positions))
    found: list[Record] = []
    errors: list[Error] = []
    number = -1
    try:
        for number, cells in enumerate(reader):
            width = len(cells)
            if width >= needed:
                cells.append("")  # what -1 picks for an absent column
                values = tuple(map(str.strip, cells_of(cells), _STRIPS))
            else:  # a short row: the missing cells are blank
                values = tuple(
                    cells[at].strip(STRIP) if at is not None and at < width else ""
                    for at in positions
                )
            if not any(values) and not "".join(cells).strip(STRIP):
                continue  # a blank row
            id_text = values[_ID_AT]
            # Scientific notation has an E (a quick look before the pattern, for every row).
            refused = ("E" in id_text or "e" in id_text) and is_scientific(id_text)
            if refused:
                errors.append(error(NOT_TEXT.at(number, c.ID_NUMBER, column=c.ID_NUMBER)))
            found.append((number, values, refused))
    except csv.Error as exc:  # a field over csv's size limit, say: where read_table stops too
        return found, errors, number + 1, (number + 1, str(exc) or type(exc).__name__)
    return found, errors, number + 1, ()


def renumber(checked: Checked, offset: int) -> Checked:
    """A block's checked rows, numbered from ``offset`` instead of 0."""
    if not offset:
        return checked
    rows, errors, numbers, *columns, new_problems = checked
    return (
        rows,
        [(e[0] + offset, *e[1:]) for e in errors],
        [number + offset for number in numbers],
        *columns,
        {index: (e[0] + offset, *e[1:]) for index, e in new_problems.items()},
    )


def unreadable(failure: tuple):
    row, detail = failure
    return UNREADABLE_FILE.at(row, kind="CSV", detail=detail)


def _rest_of_line(binary: IO[bytes], block: bytes) -> bytes:
    """What follows ``block`` up to the break (\\n, \\r\\n or \\r) that ends its last line, or
    to the end of the file; the file is left just after it."""
    if block.endswith(b"\n"):
        return b""
    if block.endswith(b"\r"):
        following = binary.read(1)
        if following == b"\n":
            return following
        binary.seek(-len(following), io.SEEK_CUR)
        return b""
    rest = b""
    while piece := binary.read(4096):
        breaks = [at for at in (piece.find(b"\n"), piece.find(b"\r")) if at != -1]
        if not breaks:
            rest += piece
            continue
        end = min(breaks) + 1
        binary.seek(end - len(piece), io.SEEK_CUR)
        rest += piece[:end]
        return rest + _rest_of_line(binary, rest)  # a \r may be the start of a \r\n
    return rest


def _breaks(data: bytes) -> int:
    crs = data.count(b"\r")
    return data.count(b"\n") + (crs - data.count(b"\r\n") if crs else 0)


def _line_end(head: bytes, lines: int) -> int | None:
    """The offset after the first ``lines`` line breaks of ``head`` (None: not all there)."""
    at = 0
    for _ in range(lines):
        newline, cr = head.find(b"\n", at), head.find(b"\r", at)
        if cr != -1 and (newline == -1 or cr < newline):
            at = cr + 2 if head[cr + 1 : cr + 2] == b"\n" else cr + 1
        elif newline != -1:
            at = newline + 1
        else:
            return None
    if head[at - 1 : at] == b"\r" and at == len(head):
        return None  # a \r\n may be cut at the end of what was read
    return at


def _positions(header: str, delimiter: str, table: Table) -> tuple[int | None, ...] | None:
    """Where each column is, found in the header line as ``read_table`` found them; None if
    the two disagree in any way (then the rows are read the ordinary way)."""
    cells = [cell.strip(STRIP) for cell in next(csv.reader([header], delimiter=delimiter), [])]
    if [cell for cell in cells if cell] != table.headers:
        return None
    names = {
        header_key(label): column.name
        for column in c.COLUMNS
        for label in (column.name, *column.aliases)
    }
    found: dict[str, int] = {}
    for at, cell in enumerate(cells):
        name = names.get(header_key(cell)) if cell else None
        if name is not None:
            if name in found:
                return None
            found[name] = at
    if {name for name in COLUMN_NAMES if name not in found} != set(table.absent_columns):
        return None
    return tuple(found.get(name) for name in COLUMN_NAMES)


def _delimiter(head: bytes, encoding: str) -> str:
    """The delimiter as ``core.tabular`` chooses it: the commonest of comma, tab and semicolon
    in the first non-blank line (a tie keeps the comma). ``_positions`` checks that the header
    then reads as the table's."""
    text = codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head)
    first = next((line for line in text.splitlines() if line.strip(STRIP)), "")
    counts = {delimiter: first.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","
