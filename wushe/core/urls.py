from django.urls import path

from wushe.core import views

# No namespace: settings name "home" (LOGIN_REDIRECT_URL) without one.
urlpatterns = [
    path("", views.home, name="home"),
]
