from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ProtectedError
from django.utils import timezone

from conftest import YUEHAI, YUEHAI_VILLAGE, make_site
from wushe.activities.models import Activity
from wushe.activities.services import (
    activity_create,
    activity_delete,
    activity_participants_set,
    activity_update,
)
from wushe.audit.models import Action, AuditEntry
from wushe.core.service_areas import ServiceArea
from wushe.groups.tests.sample import SHEKOU_VILLAGE, YUEHAI_OTHER_VILLAGE, file_resident, region
from wushe.regions.choices import SiteKind
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 1)


def tallies(code: str) -> dict[tuple[str, str], int]:
    rows = Tally.objects.filter(region_code=code).exclude(value=0)
    return {(row.metric, row.month.strftime("%Y-%m")): row.value for row in rows}


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def record(actor, station, **fields) -> Activity:
    values = {
        "held_on": DAY,
        "place": "科技园社区党群服务中心",
        "theme": "防诈骗讲座",
        "service_area": ServiceArea.ELDERLY,
        "station": station,
    }
    return activity_create(actor=actor, **{**values, **fields})


def test_an_activity_counts_its_named_participants_and_its_head_count(
    yuehai_manager, yuehai_station
):
    people = [file_resident(yuehai_manager, n) for n in (1, 2)]
    activity = record(
        yuehai_manager,
        yuehai_station,
        region=region(YUEHAI_VILLAGE),
        participants=people,
        anonymous_count=30,
        volunteer_names=[" 王小明 ", "李华", "", "李华"],
    )
    assert activity.region_code == YUEHAI_VILLAGE
    assert activity.volunteer_names == ["王小明", "李华"]
    assert activity.volunteer_count == 2  # as many as named, when no number is given
    assert tallies(YUEHAI_VILLAGE) == {
        ("activities", "2026-06"): 1,
        ("person_times", "2026-06"): 32,
    }
    assert tallies(YUEHAI) == tallies(YUEHAI_VILLAGE)
    entry = AuditEntry.objects.get(object_type="activities.activity")
    assert entry.action == Action.CREATE and entry.changes["anonymous_count"] == [None, "30"]


def test_an_activity_without_a_region_is_held_in_its_stations_region(
    yuehai_manager, yuehai_station
):
    assert record(yuehai_manager, yuehai_station).region_code == YUEHAI


def test_bad_activities_are_refused_with_field_errors_and_nothing_written(
    yuehai_manager, nanshan_admin, nanshan_auditor, yuehai_station, yuehai_room, futian_station
):
    outsider = file_resident(nanshan_admin, 9, SHEKOU_VILLAGE)
    tomorrow = timezone.localdate() + timedelta(days=1)
    cases = [
        ({"region": region(SHEKOU_VILLAGE)}, "region"),  # another street's village
        ({"region": region("440305000000")}, "region"),  # above the station
        ({"anonymous_count": -1}, "anonymous_count"),
        ({"held_on": tomorrow}, "held_on"),
        ({"participants": [outsider]}, "participants"),
        ({"volunteer_names": ["甲", "乙"], "volunteer_count": 1}, "volunteer_count"),
        ({"volunteer_names": ["名" * 51]}, "volunteer_names"),
        ({"theme": "  "}, "theme"),
        ({"service_area": "nothing"}, "service_area"),
    ]
    for fields, field in cases:
        assert field in errors_of(lambda f=fields: record(yuehai_manager, yuehai_station, **f))
    # A room's activities are in its own village only.
    found = errors_of(
        lambda: record(yuehai_manager, yuehai_room, region=region(YUEHAI_OTHER_VILLAGE))
    )
    assert "region" in found
    assert "station" in errors_of(lambda: record(yuehai_manager, futian_station))
    centre = make_site("440305000000", SiteKind.CENTRE, "南山区社工总站")
    assert "station" in errors_of(lambda: record(nanshan_admin, centre))
    with pytest.raises(PermissionDenied):
        record(nanshan_auditor, yuehai_station)
    assert not Activity.objects.exists()
    assert not Tally.objects.exists()


def test_changes_move_the_tallies_from_the_old_day_and_place_to_the_new(
    yuehai_manager, yuehai_station
):
    people = [file_resident(yuehai_manager, n) for n in (1, 2, 3)]
    activity = record(yuehai_manager, yuehai_station, participants=people[:1], anonymous_count=5)
    activity_update(
        actor=yuehai_manager,
        activity=activity,
        held_on=date(2026, 7, 3),
        region=region(YUEHAI_VILLAGE),
        anonymous_count=10,
    )
    assert tallies(YUEHAI_VILLAGE) == {
        ("activities", "2026-07"): 1,
        ("person_times", "2026-07"): 11,
    }
    assert tallies(YUEHAI) == tallies(YUEHAI_VILLAGE)  # June is back to nothing
    activity_participants_set(actor=yuehai_manager, activity=activity, participants=people)
    assert tallies(YUEHAI_VILLAGE)[("person_times", "2026-07")] == 13
    assert "anonymous_count" in errors_of(
        lambda: activity_update(actor=yuehai_manager, activity=activity, anonymous_count=-3)
    )
    activity.refresh_from_db()
    assert activity.anonymous_count == 10
    activity_delete(actor=yuehai_manager, activity=activity)
    assert tallies(YUEHAI) == {}


def test_participants_placed_from_outside_stay_when_a_narrower_user_edits_the_list(
    nanshan_admin, yuehai_manager, yuehai_station
):
    outsider = file_resident(nanshan_admin, 9, SHEKOU_VILLAGE)
    local = file_resident(nanshan_admin, 1)
    activity = record(nanshan_admin, yuehai_station, participants=[outsider])
    activity_participants_set(
        actor=yuehai_manager, activity=activity, participants=[outsider, local]
    )
    assert set(activity.participants.all()) == {outsider, local}
    activity_update(actor=yuehai_manager, activity=activity, theme="新主题")
    assert activity.participants.count() == 2


def test_the_auditor_cannot_change_or_delete(nanshan_auditor, yuehai_manager, yuehai_station):
    activity = record(yuehai_manager, yuehai_station)
    with pytest.raises(PermissionDenied):
        activity_update(actor=nanshan_auditor, activity=activity, theme="x")
    with pytest.raises(PermissionDenied):
        activity_delete(actor=nanshan_auditor, activity=activity)
    assert Activity.objects.get().theme == "防诈骗讲座"


def test_a_resident_who_took_part_cannot_be_deleted_from_under_the_tallies(
    yuehai_manager, yuehai_station
):
    resident = file_resident(yuehai_manager, 1)
    record(yuehai_manager, yuehai_station, participants=[resident])
    with pytest.raises(ProtectedError):
        resident.delete()
    assert tallies(YUEHAI)[("person_times", "2026-06")] == 1
