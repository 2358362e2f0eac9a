"""The parent's part of checking a chunk, in file order: what needs the whole file or the
database, then the plan of what to write.

A chunk comes back checked by itself (``checking``). Here each good ID number is checked
against the rows before it (``id_duplicate_in_file``), each village against the national tree
and the actor's area (one query per chunk, ``villages``), each person against the files
already there (one query per chunk, ``existing``): a file elsewhere refuses the row, one
inside is merged with it, and a new one is planned. New files are spooled to a temporary
file as their COPY text (tokens, never plaintext) with their village and categories; their
建档人数 are counted per village (``counting``).
"""

from __future__ import annotations

import functools
import marshal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from wushe.accounts.models import User
from wushe.core.tabular import ErrorReport, RowError
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing.checking import Checked, read_fragment
from wushe.people.importing.counting import FiledDeltas
from wushe.people.importing.existing import Candidate, Merger, Update, find_existing
from wushe.people.importing.villages import Villages
from wushe.regions.models import Site

# New files of a chunk as spooled: (village codes, fragments, categories masks).
NewFiles = tuple[list[str], list[str], list[int]]


@dataclass
class Plan:
    """The checked rows: new files spooled to disk (as tokens, never plaintext), updates."""

    spool: IO[bytes]
    sink: Callable[[NewFiles], None] | None = None  # takes new files instead of the spool
    new_count: int = 0
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0
    filed: FiledDeltas = field(default_factory=FiledDeltas)  # 建档人数 of what is written

    def add_new(self, codes: list[str], fragments: list[str], masks: list[int], months) -> None:
        if not codes:
            return
        if self.sink is not None:
            self.sink((codes, fragments, masks))
        else:
            # marshal.load() on a file reads it piecemeal; loads() of one length-prefixed
            # block is ten times faster.
            block = marshal.dumps((codes, fragments, masks))
            self.spool.write(len(block).to_bytes(8, "little"))
            self.spool.write(block)
        self.new_count += len(codes)
        self.filed.count(zip(codes, masks, strict=True), zip(codes, months, strict=True))

    def new_files(self) -> Iterator[NewFiles]:
        self.spool.seek(0)
        while size := self.spool.read(8):
            yield marshal.loads(self.spool.read(int.from_bytes(size, "little")))


class Planner:
    """Finishes the checks of each chunk, in file order, and plans its rows."""

    def __init__(
        self,
        actor: User,
        station: Site | None,
        report: ErrorReport,
        plan: Plan,
        *,
        files_before: bool = True,
        known: str | None = None,
    ):
        self.actor, self.report, self.plan = actor, report, plan
        # Where to find the files already there: people_resident, a bulk load's snapshot of it
        # (known), or nowhere when it was empty.
        self.files_before, self.known = files_before, known
        self.villages = Villages(actor, station)
        self.merger = Merger(report)
        self.first_row: dict[str, int] = {}  # id_hash -> the row it first appeared on
        # Whether the actor sees a village: asked of every file found, of a few hundred codes.
        self.can_see = functools.lru_cache(maxsize=65_536)(actor.can_see_code)

    def take(self, checked: Checked) -> None:
        (
            rows,
            errors,
            numbers,
            hashes,
            oks,
            villages,
            masks,
            months,
            risks,
            guardians,
            fragments,
            new_problems,
        ) = checked
        self.plan.rows += rows
        duplicates = self._duplicates(numbers, hashes)
        self._report(errors, duplicates, numbers)
        for index in duplicates:
            oks[index] = False
        codes = self._villages(numbers, villages, oks)
        can_see = self.can_see
        existing = find_existing(hashes, can_see, known=self.known) if self.files_before else {}
        new = []
        if not existing and not new_problems:  # a chunk of new files, as a first load is
            new = [index for index, ok in enumerate(oks) if ok]
        else:
            for index, id_hash in enumerate(hashes):
                found = existing.get(id_hash)
                if found is None:
                    problem = new_problems.get(index)
                    if problem is not None:
                        self.report.append(RowError(problem[0], *problem[2:]))
                    elif oks[index]:
                        new.append(index)
                elif not can_see(found.region_code):
                    self.report.append(p.FILED_ELSEWHERE.at(numbers[index], c.ID_NUMBER))
                elif oks[index]:
                    candidate = _candidate(checked, index, codes[index])
                    self._merge(candidate, found, months[index])
        if len(new) == len(oks):  # every row a new file, as in a first load
            self.plan.add_new(codes, fragments, [mask or 0 for mask in masks], months)
        else:
            self.plan.add_new(
                [codes[index] for index in new],
                [fragments[index] for index in new],
                [masks[index] or 0 for index in new],
                [months[index] for index in new],
            )

    def _duplicates(self, numbers: list[int], hashes: list[str]) -> dict[int, int]:
        """{index: the row it repeats} of the chunk's rows whose ID number came before."""
        first_row = self.first_row
        chunk = dict(zip(hashes, numbers, strict=True))
        if len(chunk) == len(hashes) and first_row.keys().isdisjoint(chunk):
            first_row.update(chunk)  # no repeat: nearly every chunk of a sheet
            return {}
        duplicates = {}
        for index, (id_hash, number) in enumerate(zip(hashes, numbers, strict=True)):
            first = first_row.setdefault(id_hash, number)
            if first != number:
                duplicates[index] = first
        return duplicates

    def _report(self, errors: list, duplicates: dict[int, int], numbers: list[int]) -> None:
        """The chunk's errors, a duplicate's between the two runs of its row's checks."""
        if duplicates:
            # Slots 0 and 1 of a row become 0 and 2; the duplicate error (1) sorts between.
            errors = [(e[0], 2 * e[1], *e[2:]) for e in errors]
            for index, first in duplicates.items():
                row = numbers[index]
                duplicate = p.ID_DUPLICATE_IN_FILE.at(row, c.ID_NUMBER, first=first)
                errors.append((row, 1, *_error_fields(duplicate)))
            errors.sort(key=lambda e: (e[0], e[1]))
        self.report.extend([RowError(e[0], *e[2:]) for e in errors])

    def _villages(self, numbers: list[int], villages: list[str], oks: list[bool]) -> list:
        """Each row's 12-digit village code (None: refused here or blank), reporting why not."""
        verdicts = self.villages.resolve(set(villages))
        codes = [verdicts[village][0] for village in villages]
        if None in codes:
            for index, village in enumerate(villages):
                code, problem, params = verdicts[village]
                if code is None:
                    oks[index] = False
                    if problem is not None:
                        self.report.append(problem.at(numbers[index], c.VILLAGE, **params))
        return codes

    def _merge(self, candidate: Candidate, found, month: str) -> None:
        update = self.merger.merge(candidate, found)
        if update is not None:
            self.plan.updates.append(update)
            if update[14]:  # moved to another village, or its categories changed
                self.plan.filed.add(found.region_code, found.categories, month, -1)
                self.plan.filed.add(update[6], update[13], month)
        elif candidate.ok:
            self.plan.unchanged += 1


def _candidate(checked: Checked, index: int, code: str) -> Candidate:
    numbers, masks, risks, guardians, fragments = (checked[i] for i in (2, 6, 8, 9, 10))
    values = read_fragment(fragments[index])
    return Candidate(
        numbers[index],
        values[0],  # name
        values[1],  # pinyin
        values[2],  # initials
        values[8],  # phone hash
        values[7],  # phone token
        code,
        values[9],  # address
        masks[index],
        values[10],  # disability grade
        risks[index],
        values[11],  # guardian
        guardians[index],
        values[12],  # guardian phone token
        values[14],  # notes
    )


def _error_fields(error: RowError) -> tuple[str, str, str, str]:
    return (error.column, error.code, error.message_zh, error.message_en)
