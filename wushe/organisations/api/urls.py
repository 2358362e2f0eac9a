"""API routes of the organisations app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.organisations.api.views import OrganisationViewSet

router = SimpleRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
urlpatterns = [*router.urls]
