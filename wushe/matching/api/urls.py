"""API routes of the matching app, included by ``wushe/api_urls.py``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from wushe.matching.api.portal import VolunteerTaskViewSet
from wushe.matching.api.resources import ResourcesView
from wushe.matching.api.views import (
    NeedViewSet,
    OfferViewSet,
    ProjectViewSet,
    ProposalViewSet,
    RunViewSet,
    TaskViewSet,
)

router = SimpleRouter()
router.register("needs", NeedViewSet, basename="need")
router.register("organisation-offers", OfferViewSet, basename="organisation-offer")
router.register("service-projects", ProjectViewSet, basename="service-project")
router.register("match-runs", RunViewSet, basename="match-run")
router.register("proposals", ProposalViewSet, basename="proposal")
router.register("tasks", TaskViewSet, basename="task")
router.register("volunteer/tasks", VolunteerTaskViewSet, basename="volunteer-task")
urlpatterns = [path("resources/", ResourcesView.as_view(), name="resources"), *router.urls]
