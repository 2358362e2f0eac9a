"""API routes of the statistics app, included by ``wushe/api_urls.py``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from wushe.statistics.api.views import StatisticsView

router = SimpleRouter()
urlpatterns = [
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    *router.urls,
]
