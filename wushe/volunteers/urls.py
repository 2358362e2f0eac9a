from django.urls import path

from wushe.volunteers import ledger_views, rule_views, team_views, views

app_name = "volunteers"
urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("<int:pk>/invite/", views.volunteer_invite, name="volunteer_invite"),
    path("<int:pk>/service/", ledger_views.service_create, name="service_create"),
    path("<int:pk>/honour/", ledger_views.honour_create, name="honour_create"),
    path("<int:pk>/redeem/", ledger_views.redeem_create, name="redeem_create"),
    path(
        "<int:pk>/entries/<int:entry_pk>/correct/",
        ledger_views.entry_correct,
        name="entry_correct",
    ),
    path("<int:pk>/certificates/new/", ledger_views.certificate_create, name="certificate_create"),
    path(
        "<int:pk>/certificates/<int:certificate_pk>.pdf",
        ledger_views.certificate_download,
        name="certificate_download",
    ),
    path("teams/", team_views.team_list, name="team_list"),
    path("teams/new/", team_views.team_create, name="team_create"),
    path("teams/<int:pk>/", team_views.team_detail, name="team_detail"),
    path("teams/<int:pk>/edit/", team_views.team_edit, name="team_edit"),
    path("teams/<int:pk>/delete/", team_views.team_delete, name="team_delete"),
    path("skills/", rule_views.skill_list, name="skill_list"),
    path("skills/new/", rule_views.skill_create, name="skill_create"),
    path("skills/<int:pk>/edit/", rule_views.skill_edit, name="skill_edit"),
    path("rules/", rule_views.rules, name="rules"),
    path("rules/points/", rule_views.points_rule_set, name="points_rule_set"),
    path("rules/stars/", rule_views.star_rule_set, name="star_rule_set"),
    path("rules/<str:kind>/<int:pk>/clear/", rule_views.rule_clear, name="rule_clear"),
]
