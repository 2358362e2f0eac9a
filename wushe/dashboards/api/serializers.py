"""The shapes of the dashboards API, for the OpenAPI document. The views return the rows of
``selectors.dashboard`` unchanged: these serializers describe them, they do not reshape them,
so the API and the page's charts and tables carry the very same figures."""

from __future__ import annotations

from rest_framework import serializers

from wushe.indicators.choices import Status


class DashboardRegionRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Division code in its short form (440305).")
    name = serializers.CharField()
    level = serializers.IntegerField(help_text="0 country … 5 village.")


class DashboardFiguresSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="null: 无数据 / no data.")
    numerator = serializers.FloatField(allow_null=True)
    denominator = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    expected = serializers.FloatField(
        allow_null=True, help_text="Where the path says it should be."
    )
    gap = serializers.FloatField(allow_null=True, help_text="target − value (> 0: a shortfall).")
    # A plain string: the enum of attainment statuses would clash by name with the other
    # "status" enums of the schema.
    status = serializers.CharField(help_text=" | ".join(Status.values))
    status_label = serializers.CharField()


class DashboardTileSerializer(DashboardFiguresSerializer):
    indicator = serializers.CharField(help_text="The indicator's code.")
    name = serializers.CharField()
    unit = serializers.CharField()


class DashboardRankingRowSerializer(DashboardRegionRowSerializer, DashboardFiguresSerializer):
    url = serializers.CharField(help_text="The child's dashboard page (the drill-down).")


class DashboardTotalSerializer(DashboardRegionRowSerializer, DashboardFiguresSerializer):
    pass


class DashboardTrendRowSerializer(DashboardFiguresSerializer):
    month = serializers.CharField(help_text="YYYY-MM")


class DashboardCoverageSerializer(DashboardRegionRowSerializer):
    townships = serializers.IntegerField()
    stations = serializers.IntegerField(help_text="Townships with an operating station.")
    station_rate = serializers.FloatField(allow_null=True, help_text="%; null: no townships.")
    villages = serializers.IntegerField()
    rooms = serializers.IntegerField(help_text="Villages with an operating room.")
    room_rate = serializers.FloatField(allow_null=True, help_text="%; null: no villages.")


class DashboardCoverageRowSerializer(DashboardCoverageSerializer):
    url = serializers.CharField()


class DashboardBreadcrumbSerializer(DashboardRegionRowSerializer):
    url = serializers.CharField()


class DashboardIndicatorBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()


class DashboardMapSerializer(serializers.Serializer):
    url = serializers.CharField(help_text="The registered GeoJSON of the region's children.")
    approval_number = serializers.CharField(help_text="审图号")


class DashboardSerializer(serializers.Serializer):
    region = DashboardRegionRowSerializer()
    indicator = DashboardIndicatorBriefSerializer()
    month = serializers.CharField(help_text="YYYY-MM")
    span = serializers.ChoiceField(choices=["ytd", "month"])
    period = serializers.CharField(help_text="The months the figures cover (2026-01..2026-10).")
    period_label = serializers.CharField(help_text="The same in words, in your language.")
    breadcrumb = DashboardBreadcrumbSerializer(many=True, help_text="From your own region down.")
    tiles = DashboardTileSerializer(many=True, help_text="The built-in plan indicators.")
    ranking = DashboardRankingRowSerializer(many=True, help_text="The children, best first.")
    total = DashboardTotalSerializer(help_text="The region itself.")
    trend = DashboardTrendRowSerializer(many=True, help_text="The last twelve months.")
    coverage = DashboardCoverageRowSerializer(many=True)
    coverage_total = DashboardCoverageSerializer()
    map = DashboardMapSerializer(
        allow_null=True, help_text="null: no map registered for the region."
    )
