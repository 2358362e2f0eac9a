"""The visit list and the overdue-visits list as Excel workbooks, exactly as the pages show them:
the resident's name, village and categories, never an ID number, a phone or a visit's findings."""

from __future__ import annotations

from io import BytesIO

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wushe.casework.models import HomeVisit
from wushe.casework.selectors import OverdueVisit


def _headers() -> list[str]:
    names = [
        _("full name"),
        _("Village or community code"),
        _("home village"),
        _("categories"),
        _("visit at least every (days)"),
        _("last visit"),
        _("due on"),
        _("days overdue"),
    ]
    return [capfirst(name) for name in names]


def _cells(row: OverdueVisit) -> list:
    resident = row.resident
    return [
        resident.name,
        resident.region_id,
        resident.region.name,
        "、".join(row.category_labels),
        row.interval_days,
        row.last_visit or _("never"),
        row.due_on,
        row.overdue_by,
    ]


def overdue_workbook(rows: list[OverdueVisit]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("overdue visits"))
    sheet.append(_headers())
    for row in rows:
        sheet.append(_cells(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _visit_headers() -> list[str]:
    names = [
        _("visited on"),
        _("resident"),
        _("Village or community code"),
        _("home village"),
        _("workers"),
        _("next visit on"),
    ]
    return [capfirst(name) for name in names]


def _visit_cells(visit: HomeVisit) -> list:
    resident = visit.resident
    return [
        visit.visited_on,
        resident.name,
        resident.region_id,
        resident.region.name,
        "、".join(str(worker) for worker in visit.workers.all()),
        visit.next_visit_on,
    ]


def visits_workbook(visits) -> tuple[bytes, int]:
    """The visits (a queryset, all pages) as .xlsx; returns the content and the row count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("home visits"))
    sheet.append(_visit_headers())
    rows = 0
    queryset = visits.select_related("resident__region").prefetch_related("workers")
    for visit in queryset.iterator(chunk_size=2000):
        sheet.append(_visit_cells(visit))
        rows += 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue(), rows
