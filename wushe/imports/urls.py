from django.urls import path, re_path

from wushe.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("new/", views.job_create, name="job_create"),
    re_path(
        r"^templates/(?P<kind>[a-z_]{1,30})\.(?P<ext>xlsx|csv)$",
        views.template_download,
        name="template",
    ),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    re_path(r"^(?P<pk>[0-9]+)/errors\.(?P<ext>xlsx|csv)$", views.job_report, name="job_report"),
]
