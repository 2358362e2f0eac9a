"""The site list as an Excel workbook. The caller passes the scoped, filtered queryset, so the
export holds exactly the rows the list page shows (all pages of it)."""

from __future__ import annotations

from io import BytesIO

from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from wushe.regions.choices import SIX_HAVES
from wushe.regions.models import Site

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers() -> list[str]:
    names = [
        _("Region code"),
        _("region"),
        _("name"),
        _("kind"),
        _("status"),
        _("address"),
        _("opened on"),
        _("floor area (m²)"),
        _("operating organisation"),
        *[str(label) for _key, label in SIX_HAVES],
    ]
    return [capfirst(name) for name in names]


def _row(site: Site) -> list:
    yes, no = _("yes"), _("no")
    return [
        site.region.display_code,
        site.region.name,
        site.name,
        site.get_kind_display(),
        site.get_status_display(),
        site.address,
        site.opened_on,
        float(site.floor_area) if site.floor_area is not None else None,
        site.operator,
        *[yes if present else no for _key, _label, present, _note in site.six_haves],
    ]


def sites_workbook(sites: QuerySet[Site]) -> tuple[bytes, int]:
    """The workbook's bytes and the number of site rows written."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("service sites"))
    sheet.append(_headers())
    count = 0
    for site in sites.select_related("region").iterator(chunk_size=2000):
        sheet.append(_row(site))
        count += 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue(), count
