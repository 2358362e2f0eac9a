"""The REST API under /api/: token and session auth, OpenAPI 3 schema, Swagger UI docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from wushe.accounts.api.views import MeView, TokenView, UserViewSet
from wushe.audit.api.views import AuditEntryViewSet
from wushe.core.api import not_found
from wushe.people.api.views import ResidentViewSet
from wushe.regions.api.views import CoverageView, RegionViewSet, SiteViewSet

app_name = "api"

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("sites", SiteViewSet, basename="site")
router.register("users", UserViewSet, basename="user")
router.register("audit", AuditEntryViewSet, basename="audit")
router.register("residents", ResidentViewSet, basename="resident")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    path("coverage/", CoverageView.as_view(), name="coverage"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Each app below owns its routes in <app>/api/urls.py.
    path("", include("wushe.casework.api.urls")),
    path("", include("wushe.groups.api.urls")),
    path("", include("wushe.activities.api.urls")),
    path("", include("wushe.referrals.api.urls")),
    path("", include("wushe.imports.api.urls")),
    path("", include("wushe.statistics.api.urls")),
    path("", include("wushe.organisations.api.urls")),
    path("", include("wushe.workers.api.urls")),
    path("", include("wushe.volunteers.api.urls")),
    path("", include("wushe.charity.api.urls")),
    path("", include("wushe.matching.api.urls")),
    path("", include("wushe.indicators.api.urls")),
    path("", include("wushe.dashboards.api.urls")),
    re_path(r"^[\s\S]*$", not_found),  # any path, even one with a newline in it
]
