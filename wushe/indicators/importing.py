"""Importing yearly figures (填报值) from Excel or CSV: one row per region, year and element.

Columns (any order; English headers work too): 区划代码 (2, 4, 6, 9 or 12 digits), 年份,
数据元 (the element's code or its Chinese or English name), 数值, and optionally 区划名称
(for the reader, not checked) and 来源说明 (source note).

Every bad row is reported with its row number, column, a stable code and the reason in Chinese
and English (``problems``); nothing is written unless every row is good (or ``valid_only`` is
chosen, as the imports page offers). A row equal to what is stored changes nothing, so
importing the same file twice writes once. The write is one transaction with one audit entry,
and it rebuilds the totals of the elements and years it touched.

It is an import kind of the imports app (upload → check → preview → confirm), and
``wushe indicators import FILE --as USER`` runs it from the command line.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from itertools import islice
from os import PathLike
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.core.tabular import Column, ErrorReport, RowError, read_table, write_template
from wushe.indicators import problems as p
from wushe.indicators import selectors, totals
from wushe.indicators.entries import error_code, may_enter, parse_value, parse_year
from wushe.indicators.models import DataElement, EnteredValue
from wushe.indicators.services import applies_at
from wushe.regions import codes
from wushe.regions.models import Region

REGION, NAME, YEAR, ELEMENT, VALUE, NOTE = (
    "区划代码",
    "区划名称",
    "年份",
    "数据元",
    "数值",
    "来源说明",
)
COLUMNS = [
    Column(REGION, aliases=("代码", "区划", "region code", "region", "code")),
    Column(NAME, required=False, aliases=("名称", "region name", "name")),
    Column(YEAR, aliases=("年度", "year")),
    Column(ELEMENT, aliases=("数据元代码", "data element", "element")),
    Column(VALUE, aliases=("值", "value")),
    Column(NOTE, required=False, aliases=("来源", "备注", "source note", "source", "note")),
]
NOTE_LIMIT = EnteredValue._meta.get_field("note").max_length
REGION_BATCH = 5000


@dataclass
class ImportResult:
    """What an import found and did (the imports app's ``Outcome``)."""

    file_name: str
    sha256: str
    report: ErrorReport
    rows: int = 0
    to_create: int = 0
    to_update: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    fatal: bool = False
    written: bool = False

    @property
    def ok(self) -> bool:
        return not len(self.report)


@dataclass
class _Row:
    number: int
    region: str
    year: int
    element: DataElement
    value: object
    note: str


@dataclass
class _Checked:
    good: list[_Row] = field(default_factory=list)
    rejected: int = 0


def write_values_template(path: str | PathLike[str]) -> None:
    """The template: the headers only (an example row left in it would be imported)."""
    write_template(path, COLUMNS)


def import_entered_values(
    *,
    actor,
    source: str | PathLike[str] | IO[bytes],
    file_name: str = "",
    station=None,
    dry_run: bool = False,
    valid_only: bool = False,
    progress=None,
) -> ImportResult:
    """Check every row of ``source`` and, unless ``dry_run``, write the figures."""
    if not may_enter(actor):
        raise PermissionDenied(_("Your role cannot enter figures."))
    data = _bytes(source)
    result = ImportResult(file_name, hashlib.sha256(data).hexdigest(), ErrorReport())
    with read_table(io.BytesIO(data), columns=COLUMNS) as table:
        if not table.usable:
            result.report, result.fatal = table.errors, True
            return result
        rows = list(table)
        result.report = table.errors
    checked = _check(actor, rows, result.report)
    result.rows, result.rejected = len(rows), checked.rejected
    existing = _existing(checked.good)
    new = [row for row in checked.good if _key(row) not in existing]
    changed = [
        row
        for row in checked.good
        if _key(row) in existing and existing[_key(row)][1:] != (row.value, row.note)
    ]
    result.to_create, result.to_update = len(new), len(changed)
    result.unchanged = len(checked.good) - len(new) - len(changed)
    if dry_run or (len(result.report) and not valid_only) or not (new or changed):
        return result
    _write(actor, result, new, changed, existing)
    return result


def _bytes(source) -> bytes:
    if isinstance(source, str | PathLike):
        with open(source, "rb") as handle:
            return handle.read()
    source.seek(0)
    return source.read()


def _key(row: _Row) -> tuple[str, str, int]:
    return (row.region, row.element.code, row.year)


def _check(actor, rows, report: ErrorReport) -> _Checked:
    checked = _Checked()
    regions = _regions([_code_text(row.values[REGION]) for row in rows])
    by_name = _elements(actor)
    first_of: dict[tuple[str, str, int], int] = {}
    for row in rows:
        errors: list[RowError] = list(row.errors)
        region = _region(row, regions, actor, errors)
        element = _element(row, by_name, region, errors)
        year = _year(row, errors)
        value = _value(row, errors)
        note = row.values[NOTE]
        if len(note) > NOTE_LIMIT:
            errors.append(p.NOTE_TOO_LONG.at(row.number, NOTE, limit=NOTE_LIMIT, length=len(note)))
        if not errors:
            good = _Row(row.number, region, year, element, value, note)
            first = first_of.setdefault(_key(good), row.number)
            if first != row.number:
                errors.append(p.DUPLICATE_ROW.at(row.number, REGION, first=first))
            else:
                checked.good.append(good)
        report.extend(error for error in errors if error not in row.errors)
        checked.rejected += bool(errors)
    return checked


def _code_text(text: str) -> str | None:
    try:
        return codes.normalize_code(text)
    except ValidationError:
        return None


def _regions(wanted: list[str | None]) -> dict[str, Region]:
    unique = sorted({code for code in wanted if code})
    found: dict[str, Region] = {}
    for start in range(0, len(unique), REGION_BATCH):
        batch = unique[start : start + REGION_BATCH]
        found.update(
            (r.code, r) for r in Region.objects.filter(code__in=batch).only("code", "name", "level")
        )
    return found


def _elements(actor) -> dict[str, DataElement]:
    """Entered elements the user can read, by code and by each of their names."""
    found: dict[str, DataElement] = {}
    for element in selectors.element_list(user=actor).filter(source="entered"):
        for name in (element.code, element.name_zh, element.name_en):
            if name:
                found.setdefault(name.casefold(), element)
    return found


def _region(row, regions: dict[str, Region], actor, errors: list) -> str | None:
    text = row.values[REGION]
    if not text:
        errors.append(p.REGION_MISSING.at(row.number, REGION))
        return None
    code = _code_text(text)
    region = regions.get(code) if code else None
    if region is None:
        errors.append(p.REGION_UNKNOWN.at(row.number, REGION, code=text[:20]))
        return None
    if not actor.can_see_code(region.code):
        scope = actor.region.name if actor.region_id else ""
        errors.append(p.REGION_OUTSIDE.at(row.number, REGION, code=text[:20], region=scope))
        return None
    return region.code


def _element(row, by_name: dict[str, DataElement], region: str | None, errors: list):
    text = row.values[ELEMENT]
    if not text:
        errors.append(p.ELEMENT_MISSING.at(row.number, ELEMENT))
        return None
    element = by_name.get(text.casefold())
    if element is None:
        if DataElement.objects.filter(code=text[:40], source="records").exists():
            errors.append(p.ELEMENT_FROM_RECORDS.at(row.number, ELEMENT, name=text[:40]))
        else:
            errors.append(p.ELEMENT_UNKNOWN.at(row.number, ELEMENT, name=text[:40]))
        return None
    if region is not None and not applies_at(element.region_code, region):
        errors.append(p.ELEMENT_UNKNOWN.at(row.number, ELEMENT, name=text[:40]))
        return None
    return element


def _year(row, errors: list) -> int | None:
    try:
        return parse_year(row.values[YEAR])
    except ValidationError:
        errors.append(p.YEAR_INVALID.at(row.number, YEAR, value=row.values[YEAR][:20]))
        return None


def _value(row, errors: list):
    text = row.values[VALUE]
    if not text:
        errors.append(p.VALUE_MISSING.at(row.number, VALUE))
        return None
    try:
        return parse_value(text)
    except ValidationError as error:
        problem = p.VALUE_PROBLEMS.get(error_code(error), p.VALUE_NOT_NUMBER)
        errors.append(problem.at(row.number, VALUE, value=text[:20]))
        return None


def _existing(rows: list[_Row]) -> dict[tuple[str, str, int], tuple[int, object, str]]:
    """The stored figures the rows would replace: key → (id, value, note)."""
    if not rows:
        return {}
    found = {}
    for start in range(0, len(rows), REGION_BATCH):
        batch = rows[start : start + REGION_BATCH]
        stored = EnteredValue.objects.filter(
            region_id__in={row.region for row in batch},
            element_id__in={row.element.code for row in batch},
            year__in={row.year for row in batch},
        ).values_list("id", "region_id", "element_id", "year", "value", "note")
        for pk, region, element, year, value, note in stored:
            found[(region, element, year)] = (pk, value, note)
    return found


def _write(actor, result: ImportResult, new, changed, existing) -> None:
    touched = {(row.element.code, row.year) for row in [*new, *changed]}
    with transaction.atomic():
        totals.lock(element for element, _year in touched)
        EnteredValue.objects.bulk_create(
            [
                EnteredValue(
                    region_id=row.region,
                    year=row.year,
                    element=row.element,
                    value=row.value,
                    note=row.note,
                    entered_by=actor,
                )
                for row in new
            ],
            batch_size=REGION_BATCH,
        )
        updates, now = [], timezone.now()
        for row in changed:
            entered = EnteredValue(pk=existing[_key(row)][0], value=row.value, note=row.note)
            entered.entered_by, entered.updated_at = actor, now
            updates.append(entered)
        EnteredValue.objects.bulk_update(
            updates, ["value", "note", "entered_by", "updated_at"], batch_size=REGION_BATCH
        )
        for element in sorted({element for element, _year in touched}):
            totals.rebuild(element, [year for code, year in touched if code == element])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="indicators.enteredvalue",
            object_repr=result.file_name[:200],
            region_code=actor.region_id,
            changes={
                "import": result.file_name,
                "sha256": result.sha256,
                "created": len(new),
                "updated": len(changed),
            },
        )
    result.created, result.updated, result.written = len(new), len(changed), True


def preview(source: IO[bytes], *, user, limit: int, error_rows: set[int]):
    """The first ``limit`` rows as they will be entered, for the imports page."""
    from wushe.imports.kinds import Preview, PreviewRow

    headers = [_("row"), _("region"), _("year"), _("data element"), _("value"), _("source note")]
    with read_table(source, columns=COLUMNS) as table:
        rows = list(islice(table, limit)) if table.usable else []
    regions = _regions([_code_text(row.values[REGION]) for row in rows])
    by_name = _elements(user)
    shown = []
    for row in rows:
        code = _code_text(row.values[REGION])
        region = regions.get(code) if code and user.can_see_code(code) else None
        element = by_name.get(row.values[ELEMENT].casefold())
        state = "error" if row.number in error_rows else "new"
        year = row.values[YEAR]
        if state == "new" and region and element and year.isdigit() and len(year) == 4:
            stored = EnteredValue.objects.filter(region=region, element=element, year=int(year))
            state = "filed" if stored.exists() else "new"
        cells = [
            str(row.number),
            f"{region.name} ({row.values[REGION]})" if region else row.values[REGION],
            row.values[YEAR],
            element.name if element else row.values[ELEMENT],
            row.values[VALUE],
            row.values[NOTE],
        ]
        shown.append(PreviewRow(row.number, cells, state))
    return Preview(headers, shown)


def register_kind() -> None:
    from wushe.imports.kinds import ImportKind, register

    register(
        ImportKind(
            key="indicator_values",
            label=gettext_lazy("Yearly figures for indicators"),
            run=import_entered_values,
            preview=preview,
            write_template=write_values_template,
            may_import=may_enter,
            list_url="indicators:entered_list",
            takes_station=False,
        )
    )
