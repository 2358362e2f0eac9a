"""API routes of the referrals app, included by ``wushe/api_urls.py``."""

from rest_framework.routers import SimpleRouter

from wushe.referrals.api.views import ReferralViewSet, TransferRequestViewSet

router = SimpleRouter()
router.register("referrals", ReferralViewSet, basename="referral")
router.register("transfer-requests", TransferRequestViewSet, basename="transfer-request")
urlpatterns = [*router.urls]
