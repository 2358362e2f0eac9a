from django.urls import path

from wushe.accounts import views

# No namespace: settings name "login" (LOGIN_URL, LOGOUT_REDIRECT_URL) without one.
urlpatterns = [
    path("login/", views.WusheLoginView.as_view(), name="login"),
    path("logout/", views.WusheLogoutView.as_view(), name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create_page, name="user_create"),
]
