"""API routes of the charity app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.charity.api.views import (
    CommunityFundViewSet,
    DonationViewSet,
    DonorViewSet,
    GoodsViewSet,
)

router = SimpleRouter()
router.register("donors", DonorViewSet, basename="donor")
router.register("donations", DonationViewSet, basename="donation")
router.register("community-funds", CommunityFundViewSet, basename="community-fund")
router.register("goods", GoodsViewSet, basename="goods")
urlpatterns = [*router.urls]
