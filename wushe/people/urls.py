from django.urls import path

from wushe.people import views

app_name = "people"
urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("export.xlsx", views.resident_export, name="resident_export"),
    path("new/", views.resident_create, name="resident_create"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/unmask/", views.resident_unmask, name="resident_unmask"),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
