"""The needs list's services: recording a need, its checks, and the state machine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import make_site
from wushe.audit.models import AuditEntry
from wushe.matching import need_services
from wushe.matching.choices import NeedSource, NeedStatus
from wushe.matching.models import Need
from wushe.matching.need_services import TRANSITIONS, need_move
from wushe.matching.tests.sample import (
    DONGJIAOTOU,
    KEJIYUAN,
    SHENDA,
    make_need,
    make_resident,
)
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def zhang(yuehai_manager):
    return make_resident(yuehai_manager, "张秀英")


def test_it_records_a_need_in_the_residents_village_and_audits_it(
    yuehai_manager, yuehai_station, zhang
):
    need = make_need(yuehai_manager, yuehai_station, zhang, skills=("meals", "visiting"))
    assert need.status == NeedStatus.OPEN
    assert need.region_id == KEJIYUAN  # the resident's village, inside the station's township
    assert {s.code for s in need.skills.all()} == {"meals", "visiting"}
    entry = AuditEntry.objects.filter(object_type="matching.need", object_id=str(need.pk)).get()
    assert entry.changes["description"] == [
        None,
        "***",
    ]  # free text stays out of the log
    assert entry.region_code == KEJIYUAN


def test_a_resident_outside_the_station_places_the_need_at_the_station(
    nanshan_admin, yuehai_station
):
    far = make_resident(nanshan_admin, "李四", village=DONGJIAOTOU)
    need = make_need(nanshan_admin, yuehai_station, far)
    assert need.region_id == yuehai_station.region_id


def test_it_refuses_bad_input_beside_each_field_and_writes_nothing(
    yuehai_manager, yuehai_station, zhang
):
    with pytest.raises(ValidationError) as caught:
        make_need(
            yuehai_manager,
            yuehai_station,
            zhang,
            region=DONGJIAOTOU,
            description="  ",
            date_to=timezone.localdate() - timedelta(days=3),
            latitude=22.5,
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"region", "description", "date_to", "longitude"}
    assert not Need.objects.exists()


def test_a_need_is_a_residents_or_a_groups_not_neither(yuehai_manager, yuehai_station):
    with pytest.raises(ValidationError) as caught:
        make_need(yuehai_manager, yuehai_station, None)
    assert "resident" in caught.value.message_dict


def test_a_source_record_is_required_and_must_be_visible(yuehai_manager, yuehai_station, zhang):
    with pytest.raises(ValidationError) as caught:
        make_need(yuehai_manager, yuehai_station, zhang, source=NeedSource.VISIT)
    assert "visit" in caught.value.message_dict


def test_only_a_township_station_in_sight_keeps_needs(
    yuehai_manager, yuehai_room, futian_station, zhang
):
    for station in (yuehai_room, futian_station):
        with pytest.raises(ValidationError) as caught:
            make_need(yuehai_manager, station, zhang)
        assert "station" in caught.value.message_dict


def test_an_auditor_cannot_record_a_need(nanshan_auditor, yuehai_station, zhang):
    with pytest.raises(PermissionDenied):
        make_need(nanshan_auditor, yuehai_station, zhang)


@pytest.mark.parametrize(
    "start,end",
    [
        (old, new)
        for old in NeedStatus.values
        for new in NeedStatus.values
        if new not in TRANSITIONS[old]
    ],
)
def test_the_state_machine_refuses_every_move_it_does_not_list(start, end):
    need = Need(status=start)
    with pytest.raises(ValidationError) as caught:
        need_move(need, end)
    assert caught.value.error_dict["status"][0].code == "illegal_move"
    assert need.status == start


def test_done_and_cancelled_are_final():
    assert TRANSITIONS[NeedStatus.DONE] == () and TRANSITIONS[NeedStatus.CANCELLED] == ()


def test_only_an_open_need_can_be_changed(yuehai_manager, yuehai_station, zhang):
    need = make_need(yuehai_manager, yuehai_station, zhang)
    need_services.need_update(
        actor=yuehai_manager, need=need, region=Region.objects.get(code=SHENDA)
    )
    assert Need.objects.get(pk=need.pk).region_id == SHENDA
    need_services.need_cancel(actor=yuehai_manager, need=need)
    with pytest.raises(ValidationError) as caught:
        need_services.need_update(actor=yuehai_manager, need=need, description="x")
    assert "status" in caught.value.message_dict
    with pytest.raises(ValidationError):
        need_services.need_cancel(actor=yuehai_manager, need=need)  # cancelled is final


def test_another_stations_worker_cannot_touch_the_need(
    yuehai_manager, shekou_worker, yuehai_station, zhang
):
    need = make_need(yuehai_manager, yuehai_station, zhang)
    with pytest.raises(ValidationError) as caught:
        need_services.need_cancel(actor=shekou_worker, need=need)
    assert caught.value.error_dict["need"][0].code == "not_found"
    assert Need.objects.get(pk=need.pk).status == NeedStatus.OPEN


def test_a_need_may_be_placed_at_a_village_of_another_station_only_by_its_own(nanshan_admin, zhang):
    shekou = make_site("440305005000", SiteKind.STATION, "蛇口街道社工站")
    with pytest.raises(ValidationError) as caught:
        make_need(nanshan_admin, shekou, zhang, region=KEJIYUAN)
    assert "region" in caught.value.message_dict
