"""The volunteer's own pages under /volunteer/ (the only pages a volunteer account may open)."""

from django.urls import path

from wushe.volunteers import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
]
