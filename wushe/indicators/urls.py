from django.urls import path, re_path

from wushe.indicators import figure_views, views

app_name = "indicators"
CODE = r"(?P<code>[a-z][a-z0-9_]{0,39})"
urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("new/", views.indicator_create, name="indicator_create"),
    path("elements/", views.element_list, name="element_list"),
    path("elements/new/", views.element_create, name="element_create"),
    re_path(rf"^elements/{CODE}/edit/$", views.element_edit, name="element_edit"),
    re_path(rf"^elements/{CODE}/delete/$", views.element_delete, name="element_delete"),
    path("figures/", figure_views.entered_list, name="entered_list"),
    path("figures/new/", figure_views.entered_create, name="entered_create"),
    path("figures/<str:pk>/edit/", figure_views.entered_edit, name="entered_edit"),
    path("figures/<str:pk>/delete/", figure_views.entered_delete, name="entered_delete"),
    path("targets/", figure_views.target_list, name="target_list"),
    path("targets/new/", figure_views.target_create, name="target_create"),
    path("targets/<str:pk>/edit/", figure_views.target_edit, name="target_edit"),
    path("targets/<str:pk>/delete/", figure_views.target_delete, name="target_delete"),
    re_path(rf"^{CODE}/$", views.indicator_detail, name="indicator_detail"),
    re_path(rf"^{CODE}/edit/$", views.indicator_edit, name="indicator_edit"),
    re_path(rf"^{CODE}/delete/$", views.indicator_delete, name="indicator_delete"),
]
