"""``import_residents``: check a whole sheet, then write it in one transaction (or nothing)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike, fspath
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action, AuditEntry
from wushe.audit.services import audit_denied, audit_record
from wushe.core.tabular import ErrorReport, Table, read_table
from wushe.people.importing import blocks, writing
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing.audit import audit_residents, snapshots
from wushe.people.importing.checking import COLUMN_NAMES, Record
from wushe.people.importing.parallel import Work, checked_chunks, rows_task
from wushe.people.importing.planning import Plan, Planner
from wushe.people.services import WRITERS
from wushe.regions.choices import SiteStatus
from wushe.regions.models import Site

IMPORT_TYPE = "people.import"
CHUNK = 5_000
# Up to this many files created or changed, each gets its own audit entry besides the import's.
AUDIT_DETAIL_LIMIT = 1_000

Source = str | PathLike[str] | IO[bytes]
# progress(stage, rows done, rows in all or None): stages "check" (reading and checking),
# "write" (rows written) and, for a load big enough to rebuild the indexes, "index".
Progress = Callable[[str, int, int | None], None]


@dataclass
class ImportResult:
    """What an import found and did. ``report`` holds every error, file-level ones included."""

    file_name: str
    sha256: str
    mode: str  # "whole_file", "valid_only" or "dry_run"
    report: ErrorReport
    rows: int = 0
    to_create: int = 0  # good rows that are new files (what a dry run would create)
    to_update: int = 0  # good rows that change a file already there
    created: int = 0  # as written
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0  # rows with at least one error
    fatal: bool = False  # the file itself could not be read or lacks columns
    written: bool = False
    audit_entry: AuditEntry | None = None
    created_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not len(self.report)


def import_residents(
    *,
    actor: User,
    source: Source,
    file_name: str = "",
    station: Site | None = None,
    dry_run: bool = False,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Check every row of ``source``; unless ``dry_run``, write the files when every row is good
    (or, with ``valid_only``, the good rows), in one transaction, and audit the import."""
    _check_importer(actor, station)
    mode = "dry_run" if dry_run else "valid_only" if valid_only else "whole_file"
    file_name = file_name or _name_of(source)
    source = _seekable(source)
    result = ImportResult(file_name, _sha256(source), mode, ErrorReport())
    on_rows = (lambda done, total: progress("check", done, total)) if progress else None
    with (
        tempfile.TemporaryFile() as spool,
        read_table(source, columns=c.COLUMNS, progress=on_rows, progress_every=CHUNK) as table,
    ):
        result.report = table.errors
        plan = Plan(spool)
        if table.usable:
            plan = _check_rows(actor, station, source, table, spool, progress)
        result.fatal = bool(table.file_errors)
        result.rows = plan.rows
        result.rejected = len({e.row for e in table.errors if e.row > table.header_row})
        result.to_create, result.to_update = plan.new_count, len(plan.updates)
        result.unchanged = plan.unchanged
        writable = not result.fatal and not dry_run and (valid_only or result.ok)
        if writable:
            _write(actor, station, plan, result, progress)
    if not result.written:
        result.audit_entry = _audit_import(actor, station, result, filed_at=None)
    return result


def _check_importer(actor: User | None, station: Site | None) -> None:
    if actor is None or actor.role not in WRITERS or not actor.region_id:
        if actor is not None and actor.pk:
            audit_denied(actor=actor, action=Action.CREATE, object_type=IMPORT_TYPE)
        raise PermissionDenied(_("Your role cannot change residents' files."))
    if station is not None and (
        not actor.can_see_code(station.region_id) or station.status == SiteStatus.CLOSED
    ):
        raise ValidationError({"station": _("No such region.")}, code="not_found")


def _check_rows(
    actor: User, station: Site | None, source: Source, table: Table, spool: IO[bytes], progress
) -> Plan:
    """Check every row, in chunks, in file order, into a plan: a CSV that allows it read in
    blocks by the workers themselves (``blocks``), any other sheet row by row here."""
    work = Work(timezone.localdate())
    with _binary(source) as binary:
        work.layout = blocks.layout_of(binary, table)
        if work.layout is not None:
            try:
                return _check_blocks(actor, station, binary, table, Plan(spool), work, progress)
            except blocks.NotInBlocks:
                spool.seek(0)
                spool.truncate()
    plan = Plan(spool)
    planner = Planner(actor, station, table.errors, plan)
    tasks = (rows_task(chunk) for chunk in _records(table, CHUNK))
    for checked, _lines, _damaged in checked_chunks(tasks, work):
        planner.take(checked)
    return plan


def _check_blocks(actor, station, binary, table: Table, plan: Plan, work: Work, progress) -> Plan:
    layout = work.layout
    report = ErrorReport()  # table.errors once every block was read: see NotInBlocks
    planner = Planner(actor, station, report, plan)
    tasks = (("csv", block) for block in blocks.blocks(binary, layout, CHUNK))
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
    return plan


@contextmanager
def _binary(source: Source) -> Iterator[IO[bytes]]:
    """The sheet's bytes to read in blocks: a path opened anew; a file object as it is, put
    back where the table's reader left it (which reads on from there if blocks are not used)."""
    if isinstance(source, str | PathLike):
        with open(source, "rb") as binary:
            yield binary
        return
    position = source.tell()
    try:
        yield source
    finally:
        source.seek(position)


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


def _write(actor: User, station: Site | None, plan: Plan, result: ImportResult, progress) -> None:
    now = timezone.now()
    total = plan.new_count
    done = 0

    def written(stage: str, count: int) -> None:
        nonlocal done
        done += count
        progress(stage, done, total)

    if progress:
        progress("write", 0, total)
    detailed = plan.new_count + len(plan.updates) <= AUDIT_DETAIL_LIMIT
    try:
        with transaction.atomic(), connection.wrap_database_errors:
            before = snapshots([u[0] for u in plan.updates]) if detailed else {}
            ids = writing.write(
                plan.new_files(),
                plan.new_count,
                plan.updates,
                station_id=station.pk if station else None,
                now=now,
                progress=written if progress else None,
            )
            # 建档人数: the COPY bypasses the services that move the statistics counters.
            plan.filed.apply()
            if detailed:
                audit_residents(actor, ids, [u[0] for u in plan.updates], before)
            result.created, result.updated = len(ids), len(plan.updates)
            result.created_ids = ids
            result.written = True
            result.audit_entry = _audit_import(actor, station, result, filed_at=now)
    except IntegrityError:
        # Someone filed one of these people between the check and the write.
        result.report.append(p.IMPORT_CONFLICT.at(0))
        result.created = result.updated = 0
        result.created_ids = []
        result.written = False


def _audit_import(
    actor: User, station: Site | None, result: ImportResult, *, filed_at: datetime | None
) -> AuditEntry:
    changes = {
        "file": result.file_name,
        "sha256": result.sha256,
        "mode": result.mode,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rejected": result.rejected,
        "errors": len(result.report),
        "written": result.written,
    }
    if station is not None:
        changes["station"] = f"{station.name} ({station.pk})"
    if filed_at is not None:
        # Every file this import created or changed carries this time (created_at/updated_at).
        changes["filed_at"] = filed_at.isoformat()
        detailed = result.created + result.updated <= AUDIT_DETAIL_LIMIT
        changes["residents"] = "one entry each" if detailed else "this entry only"
    return audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type=IMPORT_TYPE,
        object_id=result.sha256,
        object_repr=result.file_name,
        region_code=station.region_id if station else actor.region_id,
        changes=changes,
        success=result.written or result.mode == "dry_run",
    )


def _name_of(source: Source) -> str:
    if isinstance(source, str | PathLike):
        return Path(fspath(source)).name
    name = getattr(source, "name", "")
    return Path(name).name if isinstance(name, str) else ""


def _seekable(source: Source) -> Source:
    """A path or a seekable file as it is; a pipe copied to a temporary file, since the file is
    read twice (its hash, then its rows)."""
    if isinstance(source, str | PathLike) or source.seekable():
        return source
    spool = tempfile.SpooledTemporaryFile(max_size=16 << 20)
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool


def _sha256(source: Source) -> str:
    digest = hashlib.sha256()
    if isinstance(source, str | PathLike):
        with open(source, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
        return digest.hexdigest()
    source.seek(0)
    while block := source.read(1 << 20):
        digest.update(block)
    source.seek(0)
    return digest.hexdigest()
