from django.urls import path, re_path

from wushe.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_detail, name="region_own"),
    path("search/", views.region_search, name="region_search"),
    path("coverage/", views.coverage, name="coverage"),
    path("sites/", views.site_list, name="site_list"),
    path("sites/export.xlsx", views.site_export, name="site_export"),
    path("sites/new/", views.site_create, name="site_create"),
    path("sites/<int:pk>/", views.site_detail, name="site_detail"),
    path("sites/<int:pk>/edit/", views.site_edit, name="site_edit"),
    path("sites/<int:pk>/delete/", views.site_delete, name="site_delete"),
    # A division code in any of its 2/4/6/9/12-digit forms.
    re_path(r"^(?P<code>[0-9]{2,12})/$", views.region_detail, name="region_detail"),
]
