"""The volunteer's own pages under /volunteer/ (the only pages a volunteer account may open)."""

from django.urls import path

from wushe.volunteers import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("ledger/", portal_views.ledger, name="ledger"),
    path("certificates/new/", portal_views.certificate_create, name="certificate_create"),
    path(
        "certificates/<int:certificate_pk>.pdf",
        portal_views.certificate_download,
        name="certificate_download",
    ),
]
