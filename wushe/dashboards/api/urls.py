"""API routes of the dashboards app, included by ``wushe/api_urls.py``."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from wushe.dashboards.api.maps import RegionMapViewSet
from wushe.dashboards.api.views import DashboardView, MonthlyReportView

router = SimpleRouter()
router.register("region-maps", RegionMapViewSet, basename="region-map")
urlpatterns = [
    re_path(r"^dashboards/(?P<code>[^/]+)/$", DashboardView.as_view(), name="dashboard"),
    path("reports/monthly/", MonthlyReportView.as_view(), name="monthly_report"),
    *router.urls,
]
