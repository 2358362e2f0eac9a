"""API routes of the volunteers app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()
urlpatterns = [*router.urls]
