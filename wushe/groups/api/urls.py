"""API routes of the groups app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.groups.api.views import GroupViewSet

router = SimpleRouter()
router.register("groups", GroupViewSet, basename="group")
urlpatterns = [*router.urls]
