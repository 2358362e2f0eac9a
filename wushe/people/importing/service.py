"""``import_residents``: check a whole sheet, then write it in one transaction (or nothing)."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable
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
from wushe.people.importing import blocks, bulk, writing
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing.audit import audit_residents, snapshots
from wushe.people.importing.bulk import BulkLoad
from wushe.people.importing.planning import Plan
from wushe.people.importing.reading import Sheet
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
    result = ImportResult(file_name, "", mode, ErrorReport())
    on_rows = (lambda done, total: progress("check", done, total)) if progress else None
    with (
        tempfile.TemporaryFile() as spool,
        read_table(source, columns=c.COLUMNS, progress=on_rows, progress_every=CHUNK) as table,
    ):
        result.report = table.errors
        if not table.usable:
            _count(result, Plan(spool), table, _sha256(source))
        else:
            with Sheet(source, table, CHUNK) as sheet:
                if not dry_run and bulk.wanted(sheet.rows):
                    try:
                        _import_in_bulk(actor, station, sheet, Plan(spool), result, progress)
                    except blocks.NotInBlocks:  # checked again row by row, written after
                        _import(actor, station, sheet, Plan(_emptied(spool)), result, progress)
                else:
                    _import(actor, station, sheet, Plan(spool), result, progress)
    if not result.written:
        result.audit_entry = _audit_import(actor, station, result, filed_at=None)
    return result


def _import(actor, station, sheet: Sheet, plan: Plan, result: ImportResult, progress) -> None:
    """Check the whole sheet, then write it if it may be written."""
    try:
        sheet.check(actor, station, plan, progress)
    except blocks.NotInBlocks:
        plan = Plan(_emptied(plan.spool))
        sheet.check(actor, station, plan, progress)
    _count(result, plan, sheet.table, sheet.sha256 or _sha256(sheet.source))
    if _writable(result):
        _write(actor, station, plan, result, progress)


def _import_in_bulk(
    actor, station, sheet: Sheet, plan: Plan, result: ImportResult, progress
) -> None:
    """Check the sheet and write its new files as they are checked, in one transaction that is
    rolled back if it may not be written after all (see ``bulk``)."""
    now = timezone.now()
    load = BulkLoad(station.pk if station else None, now, _counted(progress, sheet.rows))
    plan.sink = load.add
    try:
        with transaction.atomic(), connection.wrap_database_errors:
            load.begin()
            sheet.check(
                actor, station, plan, progress, files_before=load.files_before, known=load.known
            )
            _count(result, plan, sheet.table, sheet.sha256 or _sha256(sheet.source))
            if not _writable(result):
                transaction.set_rollback(True)  # every file written so far goes too
                return
            if progress:
                progress("write", plan.new_count, plan.new_count)
            detailed = plan.new_count + len(plan.updates) <= AUDIT_DETAIL_LIMIT
            before = snapshots([u[0] for u in plan.updates]) if detailed else {}
            ids = load.finish(plan.updates)
            plan.filed.apply()  # 建档人数
            if detailed:
                audit_residents(actor, ids, [u[0] for u in plan.updates], before)
            _written(result, ids, plan)
            result.audit_entry = _audit_import(actor, station, result, filed_at=now)
    except IntegrityError:
        _conflict(result)


def _count(result: ImportResult, plan: Plan, table: Table, sha256: str) -> None:
    result.sha256 = sha256
    result.fatal = bool(table.file_errors)
    result.rows = plan.rows
    result.rejected = len({e.row for e in table.errors if e.row > table.header_row})
    result.to_create, result.to_update = plan.new_count, len(plan.updates)
    result.unchanged = plan.unchanged


def _writable(result: ImportResult) -> bool:
    return (
        not result.fatal and result.mode != "dry_run" and (result.mode == "valid_only" or result.ok)
    )


def _written(result: ImportResult, ids: list[int], plan: Plan) -> None:
    result.created, result.updated = len(ids), len(plan.updates)
    result.created_ids = ids
    result.written = True


def _conflict(result: ImportResult) -> None:
    # Someone filed one of these people between the check and the write.
    result.report.append(p.IMPORT_CONFLICT.at(0))
    result.created = result.updated = 0
    result.created_ids = []
    result.written = False


def _emptied(spool: IO[bytes]) -> IO[bytes]:
    spool.seek(0)
    spool.truncate()
    return spool


def _counted(progress: Progress | None, total: int):
    """progress(stage, rows) as writing calls it, as progress(stage, done, total)."""
    if progress is None:
        return None
    done = 0

    def written(stage: str, count: int) -> None:
        nonlocal done
        done += count
        progress(stage, done, max(done, total))

    return written


def _check_importer(actor: User | None, station: Site | None) -> None:
    if actor is None or actor.role not in WRITERS or not actor.region_id:
        if actor is not None and actor.pk:
            audit_denied(actor=actor, action=Action.CREATE, object_type=IMPORT_TYPE)
        raise PermissionDenied(_("Your role cannot change residents' files."))
    if station is not None and (
        not actor.can_see_code(station.region_id) or station.status == SiteStatus.CLOSED
    ):
        raise ValidationError({"station": _("No such region.")}, code="not_found")


def _write(actor: User, station: Site | None, plan: Plan, result: ImportResult, progress) -> None:
    now = timezone.now()
    if progress:
        progress("write", 0, plan.new_count)
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
                progress=_counted(progress, plan.new_count),
            )
            # 建档人数: the COPY bypasses the services that move the statistics counters.
            plan.filed.apply()
            if detailed:
                audit_residents(actor, ids, [u[0] for u in plan.updates], before)
            _written(result, ids, plan)
            result.audit_entry = _audit_import(actor, station, result, filed_at=now)
    except IntegrityError:
        _conflict(result)


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
