"""API routes of the volunteers app, included by ``wushe/api_urls.py``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from wushe.volunteers.api.portal import VolunteerMeView
from wushe.volunteers.api.teams import TeamViewSet
from wushe.volunteers.api.views import SkillViewSet, VolunteerViewSet

router = SimpleRouter()
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("skills", SkillViewSet, basename="skill")
router.register("volunteer-teams", TeamViewSet, basename="volunteer-team")
urlpatterns = [
    path("volunteer/me/", VolunteerMeView.as_view(), name="volunteer-me"),
    *router.urls,
]
