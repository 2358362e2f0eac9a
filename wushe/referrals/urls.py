from django.urls import path

from wushe.referrals import transfer_views, views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_outgoing, name="referral_outgoing"),
    path("incoming/", views.referral_incoming, name="referral_incoming"),
    path("new/", views.referral_create, name="referral_create"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/decide/", views.referral_decide, name="referral_decide"),
    path("<int:pk>/answer/", views.referral_answer, name="referral_answer"),
    path("transfers/", transfer_views.transfer_outgoing, name="transfer_outgoing"),
    path("transfers/incoming/", transfer_views.transfer_incoming, name="transfer_incoming"),
    path("transfers/new/", transfer_views.transfer_create, name="transfer_create"),
    path("transfers/<int:pk>/", transfer_views.transfer_detail, name="transfer_detail"),
    path("transfers/<int:pk>/decide/", transfer_views.transfer_decide, name="transfer_decide"),
]
