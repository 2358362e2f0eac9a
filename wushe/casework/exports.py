"""The overdue-visits list as an Excel workbook, exactly as the page shows it: the resident's
name, village and categories, never an ID number or a phone."""

from __future__ import annotations

from io import BytesIO

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

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
