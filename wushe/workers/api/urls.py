"""API routes of the workers app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.workers.api.views import SocialWorkerViewSet

router = SimpleRouter()
router.register("social-workers", SocialWorkerViewSet, basename="social-worker")
urlpatterns = [*router.urls]
