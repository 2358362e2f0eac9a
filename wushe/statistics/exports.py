"""The statistics of a region as an Excel workbook: the figures of the region (one sheet) and
the same figures for each of its children (another sheet), laid out as the page shows them."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from wushe.statistics import report
from wushe.statistics.selectors import Figures


def statistics_workbook(figures: Figures, children: list[Figures]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Statistics")
    region = figures.region
    sheet.append([_("Region"), region.name, region.display_code])
    sheet.append([_("Period"), report.period_label(figures)])
    sheet.append([report.summary(figures)])
    sheet.append([])
    sheet.append([_("Service in the period"), _("Number")])
    for _key, label, value in report.period_rows(figures):
        sheet.append([label, value])
    sheet.append([])
    sheet.append([_("Filed residents now"), _("Number")])
    for _key, label, value in report.filed_rows(figures):
        sheet.append([label, value])
    for row in sheet.iter_rows():
        if row[0].value in (_("Service in the period"), _("Filed residents now")):
            for cell in row:
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 40
    rows = book.create_sheet(_("By region"))
    rows.append([_("Region"), _("Code"), *[str(label) for _key, label in report.CHILD_COLUMNS]])
    for child in children:
        rows.append([child.region.name, child.region.display_code, *report.child_cells(child)])
    rows.append([_("Total"), region.display_code, *report.child_cells(figures)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
