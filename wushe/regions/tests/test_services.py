from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site
from wushe.regions.services import site_create, site_delete, site_update

pytestmark = pytest.mark.django_db


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def test_it_creates_a_station_and_records_who_did_it(nanshan_admin, yuehai_manager):
    site = site_create(
        actor=nanshan_admin,
        name="粤海街道社工站",
        kind=SiteKind.STATION,
        region=region(YUEHAI),
        floor_area=Decimal("120.5"),
        has_venue=True,
        venue_note="二楼",
        staff=[yuehai_manager],
    )
    assert list(site.staff.all()) == [yuehai_manager]
    entry = AuditEntry.objects.get(object_type="regions.site", object_id=str(site.pk))
    assert entry.action == Action.CREATE
    assert entry.actor == nanshan_admin
    assert entry.region_code == YUEHAI
    assert entry.changes["name"] == [None, "粤海街道社工站"]
    assert entry.changes["staff"] == [None, str(yuehai_manager.pk)]


def test_a_station_on_a_village_is_refused_with_a_clear_message(nanshan_admin):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        site_create(
            actor=nanshan_admin, name="错", kind=SiteKind.STATION, region=region(YUEHAI_VILLAGE)
        )
    assert "region" in error.value.message_dict
    assert not Site.objects.exists()


def test_a_second_open_station_for_one_township_is_refused(nanshan_admin, yuehai_station):
    with pytest.raises(ValidationError):
        site_create(
            actor=nanshan_admin, name="又一个", kind=SiteKind.STATION, region=region(YUEHAI)
        )
    assert Site.objects.filter(region_id=YUEHAI).count() == 1


def test_a_closed_station_can_be_replaced(nanshan_admin, yuehai_station):
    site_update(actor=nanshan_admin, site=yuehai_station, status=SiteStatus.CLOSED)
    site_create(actor=nanshan_admin, name="新站", kind=SiteKind.STATION, region=region(YUEHAI))
    assert Site.objects.filter(region_id=YUEHAI).count() == 2


def test_a_negative_floor_area_is_refused(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        site_create(
            actor=nanshan_admin,
            name="站",
            kind=SiteKind.STATION,
            region=region(YUEHAI),
            floor_area=Decimal("-1"),
        )
    assert "floor_area" in error.value.message_dict


def test_a_region_outside_the_actors_subtree_looks_like_no_region(nanshan_admin):
    with pytest.raises(ValidationError) as error:
        site_create(
            actor=nanshan_admin, name="站", kind=SiteKind.STATION, region=region(FUTIAN_TOWNSHIP)
        )
    assert "region" in error.value.message_dict


def test_a_manager_cannot_touch_another_streets_region(yuehai_manager):
    with pytest.raises(ValidationError):
        site_create(actor=yuehai_manager, name="站", kind=SiteKind.STATION, region=region(SHEKOU))


@pytest.mark.parametrize("role", ["shekou_worker", "nanshan_auditor"])
def test_workers_and_auditors_cannot_change_sites(role, cast):
    with pytest.raises(PermissionDenied):
        site_create(actor=cast[role], name="站", kind=SiteKind.CENTRE, region=region(NANSHAN))


def test_an_update_records_old_and_new_values(nanshan_admin, yuehai_station):
    site_update(actor=nanshan_admin, site=yuehai_station, name="粤海社工站", address="科技园")
    entry = AuditEntry.objects.filter(action=Action.UPDATE).get()
    assert entry.changes == {
        "address": ["", "科技园"],
        "name": ["粤海街道社工站", "粤海社工站"],
    }


def test_an_update_that_changes_nothing_records_nothing(nanshan_admin, yuehai_station):
    site_update(actor=nanshan_admin, site=yuehai_station, name=yuehai_station.name)
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_only_an_administrator_deletes(nanshan_admin, yuehai_manager, yuehai_station):
    with pytest.raises(PermissionDenied):
        site_delete(actor=yuehai_manager, site=yuehai_station)
    site_delete(actor=nanshan_admin, site=yuehai_station)
    assert not Site.objects.exists()
    assert AuditEntry.objects.filter(action=Action.DELETE, object_type="regions.site").exists()


def test_staff_outside_the_subtree_are_refused(yuehai_manager, shekou_worker, yuehai_station):
    with pytest.raises(ValidationError) as error:
        site_update(actor=yuehai_manager, site=yuehai_station, staff=[shekou_worker])
    assert "staff" in error.value.message_dict
    assert not yuehai_station.staff.exists()


def test_staff_the_editor_cannot_see_stay_on_the_site(
    nanshan_admin, yuehai_manager, shekou_worker, yuehai_station
):
    site_update(actor=nanshan_admin, site=yuehai_station, staff=[yuehai_manager, shekou_worker])
    site_update(actor=yuehai_manager, site=yuehai_station, staff=[])
    assert list(yuehai_station.staff.all()) == [shekou_worker]
