"""API routes of the activities app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.activities.api.views import ActivityViewSet

router = SimpleRouter()
router.register("activities", ActivityViewSet, basename="activity")
urlpatterns = [*router.urls]
