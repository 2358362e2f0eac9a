"""``import_residents``: check a whole sheet, then write it in one transaction (or nothing)."""

from __future__ import annotations

import hashlib
import marshal
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
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
from wushe.core.tabular import ErrorReport, Row, read_table
from wushe.people.importing import columns as c
from wushe.people.importing import problems as p
from wushe.people.importing import writing
from wushe.people.importing.audit import audit_residents, snapshots
from wushe.people.importing.checking import Candidate, RowChecker
from wushe.people.importing.counting import FiledDeltas
from wushe.people.importing.existing import Merger, Update, check_new, default_risk, find_existing
from wushe.people.importing.parallel import derived_chunks
from wushe.people.importing.villages import Villages
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


@dataclass
class _Plan:
    """The checked rows: new files spooled to disk (as tokens, never plaintext), updates."""

    spool: IO[bytes]
    new_count: int = 0
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    rows: int = 0
    filed: FiledDeltas = field(default_factory=FiledDeltas)  # 建档人数 of what is written

    def add_new(self, records: list[tuple]) -> None:
        if records:
            # marshal.load() on a file reads it piecemeal (5 µs a record); loads() of one
            # length-prefixed block is ten times faster.
            block = marshal.dumps(records)
            self.spool.write(len(block).to_bytes(8, "little"))
            self.spool.write(block)
            self.new_count += len(records)

    def new_files(self) -> Iterator[list[tuple]]:
        self.spool.seek(0)
        while size := self.spool.read(8):
            yield marshal.loads(self.spool.read(int.from_bytes(size, "little")))


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
        plan = _Plan(spool)
        if table.usable:
            _check_rows(actor, station, table, plan)
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


def _check_rows(actor: User, station: Site | None, table: Iterable[Row], plan: _Plan) -> None:
    today = timezone.localdate()
    checker = _ChunkChecker(actor, station, table.errors, plan, today)
    for chunk, derived in derived_chunks(_chunks(table, CHUNK), today):
        checker.check(chunk, derived)


class _ChunkChecker:
    """Checks a chunk of rows, then sorts the good ones into new files, updates, unchanged."""

    def __init__(self, actor: User, station, report: ErrorReport, plan: _Plan, today) -> None:
        self.actor, self.report, self.plan = actor, report, plan
        self.rows = RowChecker(report, today=today)
        self.villages = Villages(actor, station)
        self.merger = Merger(report)

    def check(self, chunk: list[Row], derived: list[tuple]) -> None:
        self.plan.rows += len(chunk)
        candidates = [
            candidate
            for row, values in zip(chunk, derived, strict=True)
            if (candidate := self.rows.check(row, values))
        ]
        self.villages.check(self.report, candidates)
        can_see = self.actor.can_see_code
        existing = find_existing([candidate.id_hash for candidate in candidates], can_see)
        new_files = []
        for candidate in candidates:
            found = existing.get(candidate.id_hash)
            if found is None:
                if check_new(self.report, candidate) and candidate.ok:
                    new_files.append(_new_file(candidate))
                    self.plan.filed.add(
                        candidate.village, candidate.categories or 0, candidate.birth_date
                    )
            elif not can_see(found.region_code):
                self.report.append(p.FILED_ELSEWHERE.at(candidate.row, c.ID_NUMBER))
                candidate.ok = False
            elif candidate.ok:
                self._merge(candidate, found)
        self.plan.add_new(new_files)

    def _merge(self, candidate: Candidate, found) -> None:
        update = self.merger.merge(candidate, found)
        if update is not None:
            self.plan.updates.append(update)
            if update[14]:  # moved to another village, or its categories changed
                self.plan.filed.add(found.region_code, found.categories, candidate.birth_date, -1)
                self.plan.filed.add(update[6], update[13], candidate.birth_date)
        elif candidate.ok:
            self.plan.unchanged += 1


def _new_file(candidate: Candidate) -> tuple:
    return (
        candidate.row,
        candidate.name,
        candidate.pinyin,
        candidate.initials,
        candidate.gender,
        candidate.id_token,
        candidate.id_hash,
        candidate.birth_date,
        candidate.phone_token,
        candidate.phone_hash,
        candidate.village,
        candidate.address,
        candidate.grade,
        candidate.guardian_name,
        candidate.guardian_token,
        default_risk(candidate),
        candidate.notes,
        candidate.categories or 0,
    )


def _write(actor: User, station: Site | None, plan: _Plan, result: ImportResult, progress) -> None:
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


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


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
