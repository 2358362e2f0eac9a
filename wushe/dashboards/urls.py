from django.urls import path, re_path

from wushe.dashboards import map_views, views

app_name = "dashboards"
CODE = r"(?P<code>[0-9]{2,12})"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("report/", views.monthly_report, name="monthly_report"),
    path("maps/", map_views.region_map_list, name="region_map_list"),
    path("maps/new/", map_views.region_map_create, name="region_map_create"),
    re_path(rf"^maps/{CODE}/delete/$", map_views.region_map_delete, name="region_map_delete"),
    re_path(rf"^{CODE}/$", views.dashboard, name="dashboard_region"),
    re_path(rf"^{CODE}/map\.json$", map_views.region_map_geojson, name="region_map_geojson"),
    re_path(
        rf"^{CODE}/export/(?P<table>[a-z]+)\.xlsx$",
        views.dashboard_export,
        name="dashboard_export",
    ),
]
