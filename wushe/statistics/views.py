"""The statistics page and its Excel export. Both read through the statistics selectors; a
region outside the user's subtree is a 404 (recorded), a malformed question a 400 with the
message beside its field."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.core.views import visible_or_404
from wushe.regions import selectors as regions
from wushe.regions.exports import XLSX_CONTENT_TYPE
from wushe.regions.models import Region
from wushe.statistics import report, selectors
from wushe.statistics.exports import statistics_workbook
from wushe.statistics.forms import Query, StatisticsForm


def region_asked(request: HttpRequest, query: Query, action: str = Action.VIEW) -> Region:
    """The region of the question (default: the user's own), if the user can see it."""
    if query.code is None:
        region = regions.user_root(request.user)
        if region is None:  # an account without a region sees nothing at all
            raise Http404
        return region
    visible = Region.objects.visible_to(request.user)
    return visible_or_404(request, visible, action, code=query.code)


def _figures(request: HttpRequest, query: Query, action: str = Action.VIEW):
    region = region_asked(request, query, action)
    asked = {"user": request.user, "region": region}
    period = {"month_from": query.month_from, "month_to": query.month_to}
    figures = selectors.statistics_for(**asked, **period)
    return figures, selectors.statistics_by_child(**asked, **period)


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """服务统计 of a region (default: the user's own) over whole months, with its children."""
    form = StatisticsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "statistics/statistics.html", {"form": form}, status=400)
    query = form.query()
    figures, children = _figures(request, query)
    if not form.is_bound:  # show the default region and period in the inputs
        shown = {"region": figures.region.display_code}
        form = StatisticsForm(initial={**shown, "from": query.month_from, "to": query.month_to})
    context = {
        "form": form,
        "figures": figures,
        "children": children,
        "region": figures.region,
        "ancestors": regions.region_ancestors(user=request.user, region=figures.region),
        "summary": report.summary(figures),
        "period": report.period_label(figures),
        "period_rows": report.period_rows(figures),
        "filed_rows": report.filed_rows(figures),
        "child_columns": [label for _key, label in report.CHILD_COLUMNS],
        "child_rows": [(child, report.child_cells(child)) for child in children],
        "total_cells": report.child_cells(figures),
        "months": f"from={query.month_from:%Y-%m}&to={query.month_to:%Y-%m}",
    }
    return render(request, "statistics/statistics.html", context)


@login_required
@require_GET
def statistics_export(request: HttpRequest) -> HttpResponse:
    """The page's figures as .xlsx (recorded in the audit log like every export)."""
    form = StatisticsForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "statistics/statistics.html", {"form": form}, status=400)
    query = form.query()
    figures, children = _figures(request, query, Action.EXPORT)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="statistics.tally",
        region_code=figures.region.code,
        changes={"region": figures.region.code, "period": report.period_label(figures)},
    )
    response = HttpResponse(statistics_workbook(figures, children), content_type=XLSX_CONTENT_TYPE)
    name = f"statistics-{figures.region.display_code}-{query.month_from:%Y%m}-{query.month_to:%Y%m}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
