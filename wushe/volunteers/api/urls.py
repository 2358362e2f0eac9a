"""API routes of the volunteers app, included by ``wushe/api_urls.py``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from wushe.volunteers.api.portal import (
    OwnCertificatePdfView,
    OwnCertificatesView,
    OwnLedgerView,
    VolunteerMeView,
)
from wushe.volunteers.api.rules import PointsRuleViewSet, StarRuleViewSet
from wushe.volunteers.api.teams import TeamViewSet
from wushe.volunteers.api.views import SkillViewSet, VolunteerViewSet

router = SimpleRouter()
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("skills", SkillViewSet, basename="skill")
router.register("volunteer-teams", TeamViewSet, basename="volunteer-team")
router.register("points-rules", PointsRuleViewSet, basename="points-rule")
router.register("star-rules", StarRuleViewSet, basename="star-rule")
urlpatterns = [
    path("volunteer/me/", VolunteerMeView.as_view(), name="volunteer-me"),
    path("volunteer/ledger/", OwnLedgerView.as_view(), name="volunteer-ledger"),
    path("volunteer/certificates/", OwnCertificatesView.as_view(), name="volunteer-certificates"),
    path(
        "volunteer/certificates/<str:certificate_id>/pdf/",
        OwnCertificatePdfView.as_view(),
        name="volunteer-certificate-pdf",
    ),
    *router.urls,
]
