from django.urls import path

from wushe.workers import views

app_name = "workers"
urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("new/", views.worker_create, name="worker_create"),
    path("<int:pk>/", views.worker_detail, name="worker_detail"),
    path("<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("<int:pk>/unmask/", views.worker_unmask, name="worker_unmask"),
    path("<int:pk>/trainings/new/", views.training_add, name="training_add"),
    path(
        "<int:pk>/trainings/<int:training_pk>/delete/",
        views.training_delete,
        name="training_delete",
    ),
]
