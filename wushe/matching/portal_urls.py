"""The volunteer's own tasks, under /volunteer/tasks/ (inside the volunteer's allowed paths)."""

from django.urls import path

from wushe.matching import portal_views

app_name = "matching_portal"
urlpatterns = [
    path("", portal_views.task_list, name="task_list"),
    path("<int:pk>/", portal_views.task_detail, name="task_detail"),
    path("<int:pk>/answer/", portal_views.task_answer, name="task_answer"),
]
