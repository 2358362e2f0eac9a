from django.urls import path

from wushe.casework.views import cases, rules, visits

app_name = "casework"
urlpatterns = [
    path("visits/", visits.visit_list, name="visit_list"),
    path("visits/export.xlsx", visits.visit_export, name="visit_export"),
    path("visits/new/<int:resident_pk>/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", visits.visit_delete, name="visit_delete"),
    path("overdue/", rules.overdue_list, name="overdue_list"),
    path("overdue/export.xlsx", rules.overdue_export, name="overdue_export"),
    path("frequencies/", rules.frequency_list, name="frequency_list"),
    path("frequencies/set/", rules.frequency_set, name="frequency_set"),
    path("frequencies/<int:pk>/delete/", rules.frequency_delete, name="frequency_delete"),
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/<int:resident_pk>/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/advance/", cases.case_advance, name="case_advance"),
    path("cases/<int:pk>/records/new/", cases.case_record_create, name="case_record_create"),
]
