"""GET /api/dashboards/{code}/ (the dashboard of a region as JSON) and
GET /api/reports/monthly/?region=&month=&format=xlsx|pdf (the monthly report to download).

Both ask through the pages' forms (one parser, one set of messages): a bad parameter is a 400
naming it, a region outside the user's subtree a 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.core.api import scoped_or_404
from wushe.dashboards import selectors
from wushe.dashboards.api.serializers import DashboardSerializer
from wushe.dashboards.forms import DashboardApiForm, MonthlyReportForm
from wushe.dashboards.selectors import Asked
from wushe.dashboards.views import PDF_CONTENT_TYPE, report_response
from wushe.regions import codes
from wushe.regions import selectors as regions
from wushe.regions.api.serializers import CODE_PATTERN
from wushe.regions.exports import XLSX_CONTENT_TYPE
from wushe.regions.models import Region

MONTH_PATTERN = r"^\d{4}-\d{2}$"


def _invalid(form) -> serializers.ValidationError:
    return serializers.ValidationError(
        {name: list(messages) for name, messages in form.errors.items()}
    )


def _region(request: Request, code: str | None) -> Region:
    if code is None:
        region = regions.user_root(request.user)
        if region is None:
            raise Http404
        return region
    try:
        full = codes.normalize_code(code)
    except ValidationError:
        raise Http404 from None
    return scoped_or_404(request, Region.objects.visible_to(request.user), code=full)


class DashboardView(APIView):
    """数据看板: the KPI tiles, the ranking of the children for one indicator, its trend over
    the last twelve months, the children's coverage and the map (if one is registered), as the
    dashboard page shows them."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code", str, OpenApiParameter.PATH, pattern=CODE_PATTERN, description="Region."
            ),
            OpenApiParameter("indicator", str, description="Indicator code; default: the first."),
            OpenApiParameter(
                "period",
                str,
                description="2026 (the year to date), 2026-10 (the month alone) or "
                "2026-01..2026-10 (a year to date); instead of month and span.",
            ),
            OpenApiParameter("month", str, pattern=MONTH_PATTERN, description="Default: now."),
            OpenApiParameter("span", str, enum=["ytd", "month"], description="Default: ytd."),
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request: Request, code: str) -> Response:
        region = _region(request, code)
        form = DashboardApiForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise _invalid(form)
        indicator, month, span = form.chosen()
        if indicator is None:
            raise Http404
        asked = Asked(region=region, indicator=indicator, month=month, span=span)
        return Response(selectors.dashboard(user=request.user, asked=asked))


class _FilesOrJsonErrors(DefaultContentNegotiation):
    """``?format=`` names the file to make, not a DRF renderer: errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class MonthlyReportView(APIView):
    """月报: the monthly report of a region (default: yours) as Excel or PDF, in the layout of
    the page's download (audited as an export)."""

    content_negotiation_class = _FilesOrJsonErrors

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "region", str, pattern=CODE_PATTERN, description="Default: your region."
            ),
            OpenApiParameter("month", str, pattern=MONTH_PATTERN, required=True),
            OpenApiParameter("format", str, enum=["xlsx", "pdf"], description="Default: xlsx."),
        ],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            (200, PDF_CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    def get(self, request: Request):
        form = MonthlyReportForm(request.query_params)
        if not form.is_valid():
            raise _invalid(form)
        cleaned = form.cleaned_data
        region = _region(request, cleaned["region"])
        return report_response(request.user, region, cleaned["month"], cleaned["format"])
