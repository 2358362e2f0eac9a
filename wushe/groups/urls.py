from django.urls import path

from wushe.groups import views

app_name = "groups"
urlpatterns = [
    path("", views.group_list, name="group_list"),
    path("new/", views.group_create, name="group_create"),
    path("<int:pk>/", views.group_detail, name="group_detail"),
    path("<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("<int:pk>/members/search/", views.member_search, name="member_search"),
    path("<int:pk>/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member_remove"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path("<int:pk>/sessions/<int:session_pk>/delete/", views.session_delete, name="session_delete"),
]
