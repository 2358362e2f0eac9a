"""A resident list as it is shown on screen (one row per file, numbers masked), and the same rows
as an Excel workbook. The caller passes the scoped, filtered queryset, so the export holds
exactly the rows the list shows (all pages of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wushe.people.identity import mask_id_number
from wushe.people.models import Resident
from wushe.people.phones import mask_phone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ResidentRow:
    """What a list shows of one file: never a full ID number or phone."""

    resident: Resident
    age: int
    elderly: bool
    categories: list[str]
    masked_id: str
    masked_phone: str


def resident_row(resident: Resident, today: date) -> ResidentRow:
    """One row; ``resident.categories`` should be prefetched."""
    return ResidentRow(
        resident=resident,
        age=resident.age_on(today),
        elderly=resident.is_elderly(today),
        categories=[str(c.get_category_display()) for c in resident.categories.all()],
        masked_id=mask_id_number(resident.id_number) if resident.id_number else "",
        masked_phone=mask_phone(resident.phone) if resident.phone else "",
    )


def resident_rows(residents, today: date | None = None) -> list[ResidentRow]:
    today = today or timezone.localdate()
    return [resident_row(resident, today) for resident in residents]


def _headers() -> list[str]:
    names = [
        _("full name"),
        _("gender"),
        _("age"),
        _("Village or community code"),
        _("home village"),
        _("categories"),
        _("ID number"),
        _("phone"),
        _("risk level"),
    ]
    return [capfirst(name) for name in names]


def _cells(row: ResidentRow) -> list:
    resident = row.resident
    categories = row.categories + ([_("Elderly (高龄)")] if row.elderly else [])
    return [
        resident.name,
        resident.get_gender_display(),
        row.age,
        resident.region_id,
        resident.region.name,
        "、".join(categories),
        row.masked_id,
        row.masked_phone,
        resident.get_risk_level_display(),
    ]


def residents_workbook(residents: QuerySet[Resident]) -> tuple[bytes, int]:
    """The workbook's bytes and the number of resident rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("residents"))
    sheet.append(_headers())
    today = timezone.localdate()
    count = 0
    queryset = residents.select_related("region").prefetch_related("categories")
    for resident in queryset.iterator(chunk_size=2000):
        sheet.append(_cells(resident_row(resident, today)))
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
