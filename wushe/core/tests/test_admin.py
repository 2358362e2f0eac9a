import pytest
from django.contrib import admin

from wushe.audit.models import AuditEntry
from wushe.regions.models import Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, nanshan_admin):
    nanshan_admin.is_staff = True
    nanshan_admin.is_superuser = True  # all model permissions: scoping must still apply
    nanshan_admin.save()
    client.force_login(nanshan_admin)
    return client


def test_the_site_list_shows_only_the_users_subtree(staff_client, yuehai_station, futian_station):
    page = staff_client.get("/admin/regions/site/")
    assert page.status_code == 200
    assert yuehai_station.name in page.content.decode()
    assert futian_station.name not in page.content.decode()


def test_an_object_outside_the_subtree_is_404(staff_client, futian_station, yuehai_station):
    assert staff_client.get(f"/admin/regions/site/{futian_station.pk}/change/").status_code == 404
    assert staff_client.get(f"/admin/regions/site/{yuehai_station.pk}/change/").status_code == 200


def test_nothing_can_be_added_changed_or_deleted(staff_client, yuehai_station):
    assert staff_client.get("/admin/regions/site/add/").status_code == 403
    assert staff_client.get(f"/admin/regions/site/{yuehai_station.pk}/delete/").status_code == 403
    staff_client.post(f"/admin/regions/site/{yuehai_station.pk}/change/", {"name": "改名"})
    yuehai_station.refresh_from_db()
    assert yuehai_station.name == "粤海街道社工站"


def test_audit_entries_cannot_be_deleted_or_changed(staff_client, nanshan_admin):
    from wushe.audit.services import audit_view

    entry = audit_view(actor=nanshan_admin, obj=nanshan_admin)
    assert staff_client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    staff_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "delete"})
    assert AuditEntry.objects.get(pk=entry.pk).action == "view"


def test_unscoped_third_party_models_are_not_in_the_admin():
    from axes.models import AccessAttempt
    from rest_framework.authtoken.models import TokenProxy

    assert not admin.site.is_registered(AccessAttempt)
    assert not admin.site.is_registered(TokenProxy)
    assert admin.site.is_registered(Site)
