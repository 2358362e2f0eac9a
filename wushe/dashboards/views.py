"""The dashboard pages, the Excel export of each table beside a chart, and the monthly report
download. Each reads through ``selectors.dashboard`` or ``monthly``; a region outside the
user's subtree is a 404 (recorded as denied); a malformed question a 400 with its message
beside the field."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import visible_or_404
from wushe.dashboards import monthly, selectors, services
from wushe.dashboards.forms import DashboardForm, MonthlyReportForm
from wushe.dashboards.selectors import Asked
from wushe.dashboards.tables import TABLES, caption, table_rows
from wushe.indicators.periods import this_month
from wushe.regions import codes
from wushe.regions import selectors as regions
from wushe.regions.exports import XLSX_CONTENT_TYPE
from wushe.regions.models import Region

PDF_CONTENT_TYPE = "application/pdf"


def region_or_404(request: HttpRequest, code: str | None, action: str = Action.VIEW) -> Region:
    """The region named by ``code`` (any written form; default: the user's own) if the user
    can see it; anything else is a 404, recorded as denied."""
    if code is None:
        region = regions.user_root(request.user)
        if region is None:  # an account without a region sees nothing at all
            raise Http404
        return region
    try:
        full = codes.normalize_code(code)
    except ValidationError:
        audit_denied(
            actor=request.user, action=action, object_type="regions.region", object_id=code[:20]
        )
        raise Http404 from None
    return visible_or_404(request, Region.objects.visible_to(request.user), action, code=full)


def _asked(request: HttpRequest, code: str | None, action: str = Action.VIEW):
    """The dashboard's question, or the bound form with its errors."""
    form = DashboardForm(request.GET or None, user=request.user)
    region = region_or_404(request, code, action)
    if form.is_bound and not form.is_valid():
        return None, form
    indicator, month, span = form.chosen()
    if indicator is None:  # no definition can be read at all
        raise Http404
    return Asked(region=region, indicator=indicator, month=month, span=span), form


def _labels() -> dict[str, str]:
    """The words the charts print, in the page's language."""
    return {
        "value": _("Value"),
        "target": _("Target"),
        "expected": _("Expected"),
        "no_data": _("no data"),
        "station_rate": _("Station coverage (%)"),
        "room_rate": _("Room coverage (%)"),
        "coverage": _("Coverage"),
    }


@login_required
@require_GET
def dashboard(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The dashboard of a region (default: the user's own)."""
    asked, form = _asked(request, code)
    if asked is None:
        return render(request, "dashboards/dashboard.html", {"form": form}, status=400)
    data = selectors.dashboard(user=request.user, asked=asked)
    # The inputs show what is shown, defaults included (a link with only ?indicator= left the
    # month input empty).
    form = DashboardForm(initial=asked.query, user=request.user)
    tables = {}
    for key, columns in TABLES.items():
        rows, total = table_rows(data, key)
        tables[key] = {
            "key": key,
            "caption": caption(data, key),
            "columns": columns,
            "rows": rows,
            "total": total,
            "export": reverse("dashboards:dashboard_export", args=[asked.region.display_code, key])
            + f"?{urlencode(asked.query)}",
        }
    report = reverse("dashboards:monthly_report")
    report += f"?region={asked.region.display_code}&month={asked.month:%Y-%m}"
    context = {
        "form": form,
        "asked": asked,
        "data": data,
        "tables": tables,
        "labels": _labels(),
        "report": report,
        "can_register_maps": services.may_register_maps(request.user),
    }
    return render(request, "dashboards/dashboard.html", context)


@login_required
@require_GET
def dashboard_export(request: HttpRequest, code: str, table: str) -> HttpResponse:
    """One table of the dashboard as .xlsx, as the page shows it (audited as an export)."""
    if table not in TABLES:
        raise Http404
    asked, form = _asked(request, code, Action.EXPORT)
    if asked is None:
        return render(request, "dashboards/dashboard.html", {"form": form}, status=400)
    content = services.table_export(user=request.user, asked=asked, table=table)
    region = asked.region
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"dashboard-{region.display_code}-{table}-{asked.month:%Y%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def report_response(user, region: Region, month, kind: str) -> HttpResponse:
    """The monthly report as a download (the page and the API answer with the same)."""
    if kind == "pdf":
        content = monthly.monthly_report_pdf(user=user, region=region, month=month)
        response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    else:
        kind = "xlsx"
        content = monthly.monthly_report(user=user, region=region, month=month)
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    name = f"monthly-report-{region.display_code}-{month:%Y%m}.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def monthly_report(request: HttpRequest) -> HttpResponse:
    """?region=&month=&format=xlsx|pdf: the monthly report (月报) to download; without a
    month, the form to ask for one."""
    form = MonthlyReportForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        if not form.is_bound:
            form = MonthlyReportForm(initial={"month": this_month()})
        status = 400 if form.is_bound else 200
        return render(request, "dashboards/monthly_report.html", {"form": form}, status=status)
    cleaned = form.cleaned_data
    region = region_or_404(request, cleaned["region"], Action.EXPORT)
    return report_response(request.user, region, cleaned["month"], cleaned["format"])
