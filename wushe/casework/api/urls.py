"""API routes of the casework app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.casework.api.cases import CaseViewSet
from wushe.casework.api.visits import FrequencyViewSet, OverdueVisitViewSet, VisitViewSet

router = SimpleRouter()
router.register("visits", VisitViewSet, basename="visit")
router.register("overdue-visits", OverdueVisitViewSet, basename="overdue-visit")
router.register("visit-frequencies", FrequencyViewSet, basename="visit-frequency")
router.register("cases", CaseViewSet, basename="case")
urlpatterns = [*router.urls]
