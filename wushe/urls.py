from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("wushe.core.urls")),
    path("", include("wushe.accounts.urls")),
    path("regions/", include("wushe.regions.urls")),
    path("residents/", include("wushe.people.urls")),
    path("casework/", include("wushe.casework.urls")),
    path("groups/", include("wushe.groups.urls")),
    path("activities/", include("wushe.activities.urls")),
    path("referrals/", include("wushe.referrals.urls")),
    path("imports/", include("wushe.imports.urls")),
    path("statistics/", include("wushe.statistics.urls")),
    path("organisations/", include("wushe.organisations.urls")),
    path("workers/", include("wushe.workers.urls")),
    path("volunteers/", include("wushe.volunteers.urls")),
    path("volunteer/tasks/", include("wushe.matching.portal_urls")),
    path("volunteer/", include("wushe.volunteers.portal_urls")),
    path("charity/", include("wushe.charity.urls")),
    path("matching/", include("wushe.matching.urls")),
    path("indicators/", include("wushe.indicators.urls")),
    path("dashboards/", include("wushe.dashboards.urls")),
    path("audit/", include("wushe.audit.urls")),
    path("api/", include("wushe.api_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
