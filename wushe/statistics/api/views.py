"""GET /api/statistics/?region=CODE&from=YYYY-MM&to=YYYY-MM: the statistics page as JSON.

The query goes through the page's form (one parser, one set of messages); a bad parameter is
a 400 naming it, a region outside the user's subtree a 404."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from wushe.core.api import scoped_or_404
from wushe.regions import selectors as regions
from wushe.regions.api.serializers import CODE_PATTERN, RegionBriefSerializer
from wushe.regions.models import Region
from wushe.statistics import report, selectors
from wushe.statistics.forms import StatisticsForm

MONTH_PATTERN = r"^\d{4}-\d{2}$"


class FiguresSerializer(serializers.Serializer):
    persons = serializers.IntegerField(help_text="建档人数: filed residents now, each once.")
    elderly = serializers.IntegerField(help_text="高龄: filed residents aged 80 or over today.")
    categories = serializers.DictField(
        child=serializers.IntegerField(), help_text="Filed residents now, by category."
    )
    visits = serializers.IntegerField(help_text="入户走访次数")
    cases_served = serializers.IntegerField(help_text="开展个案: cases open at some time.")
    cases_opened = serializers.IntegerField(help_text="新接个案")
    cases_closed = serializers.IntegerField(help_text="结案")
    cases_open = serializers.IntegerField(help_text="在案: open at the end of the period.")
    case_records = serializers.IntegerField(help_text="个案服务 records")
    groups = serializers.IntegerField(help_text="小组数: groups started.")
    group_sessions = serializers.IntegerField(help_text="小组节数")
    activities = serializers.IntegerField(help_text="社区活动场次")
    person_times = serializers.IntegerField(help_text="服务人次")


class ChildSerializer(serializers.Serializer):
    region = RegionBriefSerializer()
    figures = FiguresSerializer(source="*")


class StatisticsSerializer(serializers.Serializer):
    region = RegionBriefSerializer(source="figures.region")
    summary = serializers.CharField(help_text="开展个案N个、小组N节、社区活动N场次")
    figures = FiguresSerializer()
    children = ChildSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        # Echo the period as asked; "from" cannot be declared as a Python attribute.
        fields["from"] = serializers.CharField(help_text="First month, YYYY-MM.")
        fields["to"] = serializers.CharField(help_text="Last month, YYYY-MM.")
        return fields


PARAMETERS = [
    OpenApiParameter(
        "region", str, pattern=CODE_PATTERN, description="Division code; default: your region."
    ),
    OpenApiParameter(
        "from", str, pattern=MONTH_PATTERN, description="First month; default: January."
    ),
    OpenApiParameter("to", str, pattern=MONTH_PATTERN, description="Last month; default: now."),
]


class StatisticsView(APIView):
    """服务统计 of a region subtree over whole months, and of each of its children."""

    @extend_schema(parameters=PARAMETERS, responses=StatisticsSerializer)
    def get(self, request: Request) -> Response:
        form = StatisticsForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(
                {name: list(messages) for name, messages in form.errors.items()}
            )
        query = form.query()
        if query.code is None:
            region = regions.user_root(request.user)
            code = region.code if region else ""
        else:
            code = query.code
        region = scoped_or_404(request, Region.objects.visible_to(request.user), code=code)
        asked = {"user": request.user, "region": region}
        period = {"month_from": query.month_from, "month_to": query.month_to}
        figures = selectors.statistics_for(**asked, **period)
        data = {
            "figures": figures,
            "children": selectors.statistics_by_child(**asked, **period),
            "summary": report.summary(figures),
            "from": f"{query.month_from:%Y-%m}",
            "to": f"{query.month_to:%Y-%m}",
        }
        return Response(StatisticsSerializer(data).data)
