from django.urls import path

from wushe.matching.views import lists, needs, runs

app_name = "matching"
urlpatterns = [
    path("", needs.need_list, name="need_list"),
    path("needs/new/", needs.need_create, name="need_create"),
    path("needs/places/", needs.need_places, name="need_places"),
    path("needs/residents/", needs.resident_find, name="resident_find"),
    path("needs/residents/choose/", needs.resident_choose, name="resident_choose"),
    path("needs/<int:pk>/", needs.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", needs.need_edit, name="need_edit"),
    path("needs/<int:pk>/cancel/", needs.need_cancel, name="need_cancel"),
    path("resources/", lists.resource_list, name="resources"),
    path("offers/new/", lists.offer_create, name="offer_create"),
    path("offers/<int:pk>/edit/", lists.offer_edit, name="offer_edit"),
    path("projects/", lists.project_list, name="project_list"),
    path("projects/new/", lists.project_create, name="project_create"),
    path("projects/<int:pk>/", lists.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", lists.project_edit, name="project_edit"),
    path("projects/<int:pk>/needs/", lists.project_link, name="project_link"),
    path("runs/", runs.run_list, name="run_list"),
    path("runs/new/", runs.run_create, name="run_create"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("proposals/<int:pk>/accept/", runs.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/reject/", runs.proposal_reject, name="proposal_reject"),
    path("proposals/<int:pk>/edit/", runs.proposal_edit, name="proposal_edit"),
    path("tasks/", runs.task_list, name="task_list"),
    path("tasks/<int:pk>/", runs.task_detail, name="task_detail"),
    path("tasks/<int:pk>/answer/", runs.task_answer, name="task_answer"),
    path("tasks/<int:pk>/complete/", runs.task_complete, name="task_complete"),
]
