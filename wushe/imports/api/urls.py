"""API routes of the imports app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.imports.api.views import ImportJobViewSet

router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="import-job")
urlpatterns = [*router.urls]
