from django.urls import path

from wushe.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<int:pk>/incubation/enter/", views.incubation_enter, name="incubation_enter"),
    path("<int:pk>/incubation/leave/", views.incubation_leave, name="incubation_leave"),
]
