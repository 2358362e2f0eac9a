from django.urls import path

from wushe.statistics import views

app_name = "statistics"
urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("export.xlsx", views.statistics_export, name="statistics_export"),
]
