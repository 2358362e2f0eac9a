"""Reading and checking a whole sheet, chunk by chunk, in file order, into a plan.

A CSV that allows it is read in blocks that the workers parse themselves (``blocks``); any other
sheet row by row through ``read_table`` here. Either way the chunks are checked by themselves in
the workers (``parallel``, ``checking``) and finished in order by the planner (``planning``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from os import PathLike
from typing import IO

from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.tabular import ErrorReport, Table
from wushe.people.importing import blocks
from wushe.people.importing.checking import COLUMN_NAMES, Record
from wushe.people.importing.parallel import Work, checked_chunks, rows_task
from wushe.people.importing.planning import Plan, Planner
from wushe.regions.models import Site


class Sheet:
    """An opened sheet to check: use as a context manager, then ``check`` once."""

    def __init__(self, source: str | PathLike[str] | IO[bytes], table: Table, chunk: int):
        self.source, self.table, self.chunk = source, table, chunk
        self.binary: IO[bytes] | None = None
        self.layout: blocks.Layout | None = None
        self.sha256 = ""  # the file's, when reading its blocks read it all

    def __enter__(self) -> Sheet:
        source = self.source
        if isinstance(source, str | PathLike):
            self.binary, self._owned, self._position = open(source, "rb"), True, 0
        else:  # the table's reader reads on from where it left the file: put it back there
            self.binary, self._owned, self._position = source, False, source.tell()
        self.layout = blocks.layout_of(self.binary, self.table)
        self.binary.seek(self._position)
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._owned:
            self.binary.close()
        else:
            self.binary.seek(self._position)

    @property
    def rows(self) -> int:
        """About how many rows a CSV read in blocks has (0 when not read so)."""
        return self.layout.lines if self.layout is not None else 0

    def check(self, actor: User, station: Site | None, plan: Plan, progress, **where) -> None:
        """Check every row into ``plan``; ``where`` tells the planner where files already there
        are (see ``Planner``). Raises NotInBlocks, and reads row by row from then on, if a
        block turned out not to be text (start again with a new plan)."""
        work = Work(timezone.localdate(), self.layout)
        if self.layout is not None:
            try:
                self._check_blocks(actor, station, plan, work, progress, where)
                return
            except blocks.NotInBlocks:
                self.layout = None
                self.binary.seek(self._position)
                raise
        planner = Planner(actor, station, self.table.errors, plan, **where)
        tasks = (rows_task(chunk) for chunk in _records(self.table, self.chunk))
        for checked, _lines, _damaged in checked_chunks(tasks, work):
            planner.take(checked)

    def _check_blocks(self, actor, station, plan: Plan, work: Work, progress, where) -> None:
        layout, table = self.layout, self.table
        report = ErrorReport()  # table.errors once every block was read: see NotInBlocks
        planner = Planner(actor, station, report, plan, **where)
        tasks = (
            ("csv", block) for block in self._hashed(blocks.blocks(self.binary, layout, self.chunk))
        )
        first = layout.first
        if progress:
            progress("check", 0, layout.lines)
        for checked, lines, damaged in checked_chunks(tasks, work):
            if checked is None:
                raise blocks.NotInBlocks
            planner.take(blocks.renumber(checked, first))
            if damaged:  # where read_table would have stopped reading: fatal
                error = blocks.unreadable((damaged[0] + first, damaged[1]))
                report.append(error)
                table.file_errors.append(error)
                break
            first += lines
            if progress:
                done = first - layout.first
                progress("check", done, max(done, layout.lines))
        table.errors.extend(report)

    def _hashed(self, parts: Iterator[bytes]) -> Iterator[bytes]:
        """The blocks, hashed as they go: the file's SHA-256 once the last is read, without a
        pass of its own before the check (a quarter of a second for a million rows)."""
        binary = self.binary
        position = binary.tell()
        binary.seek(0)
        digest = hashlib.sha256(binary.read(self.layout.start))
        binary.seek(position)
        for part in parts:
            digest.update(part)
            yield part
        self.sha256 = digest.hexdigest()


def _records(table: Table, size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for row in table:
        values = row.values
        # The reader refuses only text-only cells (the ID number's), and has reported it.
        chunk.append((row.number, tuple([values[name] for name in COLUMN_NAMES]), bool(row.errors)))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
