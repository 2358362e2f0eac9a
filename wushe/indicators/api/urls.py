"""API routes of the indicators app, included by ``wushe/api_urls.py``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from wushe.indicators.api.views import (
    DataElementViewSet,
    EnteredValueViewSet,
    IndicatorValuesView,
    IndicatorViewSet,
    KpisView,
    TargetViewSet,
)

router = SimpleRouter()
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("data-elements", DataElementViewSet, basename="data-element")
router.register("entered-values", EnteredValueViewSet, basename="entered-value")
router.register("targets", TargetViewSet, basename="target")
urlpatterns = [
    path("indicator-values/", IndicatorValuesView.as_view(), name="indicator-values"),
    path("kpis/", KpisView.as_view(), name="kpis"),
    *router.urls,
]
