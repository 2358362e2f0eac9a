from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from conftest import YUEHAI, YUEHAI_VILLAGE, make_site
from wushe.audit.models import Action, AuditEntry
from wushe.groups.choices import GroupStatus
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import group_delete, group_update, member_add, member_remove
from wushe.groups.session_services import session_delete, session_record, session_update
from wushe.groups.tests.sample import SHEKOU_VILLAGE, START, file_resident, make_group
from wushe.regions.choices import SiteKind
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db


def tallies(code: str) -> dict[tuple[str, str], int]:
    rows = Tally.objects.filter(region_code=code).exclude(value=0)
    return {(row.metric, row.month.strftime("%Y-%m")): row.value for row in rows}


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_a_group_belongs_to_its_stations_region_and_is_counted_when_it_starts(
    yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    assert group.region_code == YUEHAI
    assert group.leader == yuehai_manager
    assert tallies(YUEHAI) == {("groups", "2026-03"): 1}
    assert tallies("440305000000") == {("groups", "2026-03"): 1}  # and every ancestor
    entry = AuditEntry.objects.get(object_type="groups.group")
    assert entry.action == Action.CREATE and entry.changes["name"] == [None, "长者健康小组"]


def test_bad_groups_are_refused_with_field_errors_and_nothing_written(
    yuehai_manager, nanshan_auditor, yuehai_station, futian_station, nanshan_admin
):
    centre = make_site("440305000000", SiteKind.CENTRE, "南山区社工总站")
    assert "station" in errors_of(lambda: make_group(yuehai_manager, futian_station))
    assert "station" in errors_of(lambda: make_group(nanshan_admin, centre))
    found = errors_of(lambda: make_group(yuehai_manager, yuehai_station, ended_on=date(2026, 1, 1)))
    assert set(found) == {"ended_on", "status"}
    found = errors_of(lambda: make_group(yuehai_manager, yuehai_station, status=GroupStatus.ENDED))
    assert "ended_on" in found
    found = errors_of(lambda: make_group(yuehai_manager, yuehai_station, planned_sessions=0))
    assert "planned_sessions" in found
    found = errors_of(lambda: make_group(yuehai_manager, yuehai_station, name=""))
    assert "name" in found
    found = errors_of(lambda: make_group(yuehai_manager, yuehai_station, service_area="x"))
    assert "service_area" in found
    with pytest.raises(PermissionDenied):
        make_group(nanshan_auditor, yuehai_station)
    assert not Group.objects.exists()
    assert not Tally.objects.exists()


def test_members_join_once_and_only_from_the_actors_subtree(
    yuehai_manager, nanshan_admin, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    zhang = file_resident(yuehai_manager, 1)
    member = member_add(actor=yuehai_manager, group=group, resident=zhang, joined_on=START)
    assert member.region_code == YUEHAI
    assert "resident" in errors_of(
        lambda: member_add(actor=yuehai_manager, group=group, resident=zhang)
    )
    outsider = file_resident(nanshan_admin, 2, SHEKOU_VILLAGE)  # outside 粤海
    assert "resident" in errors_of(
        lambda: member_add(actor=yuehai_manager, group=group, resident=outsider)
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    wang = file_resident(yuehai_manager, 3)
    assert "joined_on" in errors_of(
        lambda: member_add(actor=yuehai_manager, group=group, resident=wang, joined_on=tomorrow)
    )
    assert GroupMember.objects.count() == 1


def test_sessions_are_numbered_by_date_and_count_the_members_present(
    yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    members = [
        member_add(actor=yuehai_manager, group=group, resident=file_resident(yuehai_manager, n))
        for n in (1, 2, 3)
    ]
    for member in members:
        member.joined_on = START
        member.save()
    later = session_record(
        actor=yuehai_manager, group=group, held_on=date(2026, 4, 6), topic="二", attendees=members
    )
    first = session_record(
        actor=yuehai_manager,
        group=group,
        held_on=date(2026, 3, 30),
        topic="一",
        attendees=members[:2],
    )
    later.refresh_from_db()
    assert (first.number, later.number) == (1, 2)
    assert tallies(YUEHAI) == {
        ("groups", "2026-03"): 1,
        ("group_sessions", "2026-03"): 1,
        ("group_sessions", "2026-04"): 1,
        ("person_times", "2026-03"): 2,
        ("person_times", "2026-04"): 3,
    }
    session_update(actor=yuehai_manager, session=first, held_on=date(2026, 4, 20), attendees=[])
    later.refresh_from_db()
    first.refresh_from_db()
    assert (later.number, first.number) == (1, 2)
    assert tallies(YUEHAI) == {
        ("groups", "2026-03"): 1,
        ("group_sessions", "2026-04"): 2,
        ("person_times", "2026-04"): 3,
    }
    session_delete(actor=yuehai_manager, session=later)
    first.refresh_from_db()
    assert first.number == 1
    assert tallies(YUEHAI) == {("groups", "2026-03"): 1, ("group_sessions", "2026-04"): 1}


def test_bad_sessions_are_refused(yuehai_manager, yuehai_station):
    group = make_group(yuehai_manager, yuehai_station)
    other = make_group(yuehai_manager, yuehai_station, name="另一个小组")
    resident = file_resident(yuehai_manager, 1)
    late = member_add(
        actor=yuehai_manager, group=group, resident=resident, joined_on=date(2026, 5, 1)
    )
    stranger = member_add(actor=yuehai_manager, group=other, resident=resident, joined_on=START)

    def record(**fields):
        values = {"held_on": date(2026, 4, 1), "topic": "第一节", **fields}
        return lambda: session_record(actor=yuehai_manager, group=group, **values)

    assert "held_on" in errors_of(record(held_on=START - timedelta(days=1)))
    assert "held_on" in errors_of(record(held_on=timezone.localdate() + timedelta(days=1)))
    assert "attendees" in errors_of(record(attendees=[stranger]))  # not of this group
    with translation.override("en"):
        found = errors_of(record(attendees=[late]))  # joined after the session
    assert found["attendees"] == [f"Not a member of the group on that day: {resident.name}."]
    assert "topic" in errors_of(record(topic="  "))
    assert not GroupSession.objects.exists()
    assert not Tally.objects.filter(metric="group_sessions").exists()


def test_a_member_who_attended_leaves_with_a_date_and_is_otherwise_deleted(
    yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    stays, goes = (
        member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n),
            joined_on=START,
        )
        for n in (1, 2)
    )
    session_record(
        actor=yuehai_manager, group=group, held_on=date(2026, 4, 1), topic="一", attendees=[stays]
    )
    assert "left_on" in errors_of(lambda: member_remove(actor=yuehai_manager, member=stays))
    assert "left_on" in errors_of(
        lambda: member_remove(actor=yuehai_manager, member=stays, left_on=date(2026, 3, 20))
    )
    member_remove(actor=yuehai_manager, member=stays, left_on=date(2026, 4, 2))
    member_remove(actor=yuehai_manager, member=goes)
    assert list(GroupMember.objects.values_list("left_on", flat=True)) == [date(2026, 4, 2)]


def test_moving_a_group_moves_its_tallies_and_its_sessions_must_stay_inside_its_dates(
    nanshan_admin, yuehai_station
):
    shekou_station = make_site("440305005000", SiteKind.STATION, "蛇口街道社工站")
    group = make_group(nanshan_admin, yuehai_station)
    member = member_add(
        actor=nanshan_admin, group=group, resident=file_resident(nanshan_admin, 1), joined_on=START
    )
    session = session_record(
        actor=nanshan_admin, group=group, held_on=date(2026, 4, 1), topic="一", attendees=[member]
    )
    assert "started_on" in errors_of(
        lambda: group_update(
            actor=nanshan_admin, group=Group.objects.get(), started_on=date(2026, 4, 2)
        )
    )
    group_update(actor=nanshan_admin, group=group, station=shekou_station)
    assert tallies(YUEHAI) == {}
    assert tallies("440305005000") == {
        ("groups", "2026-03"): 1,
        ("group_sessions", "2026-04"): 1,
        ("person_times", "2026-04"): 1,
    }
    session.refresh_from_db()
    member.refresh_from_db()
    assert session.region_code == member.region_code == "440305005000"


def test_deleting_a_group_needs_a_supervisor_and_takes_back_its_tallies(
    yuehai_manager, yuehai_station, cast
):
    worker = cast["shekou_worker"]
    worker.region_id = YUEHAI  # a worker of the same street
    worker.save()
    group = make_group(yuehai_manager, yuehai_station)
    member = member_add(
        actor=yuehai_manager,
        group=group,
        resident=file_resident(yuehai_manager, 1),
        joined_on=START,
    )
    session_record(
        actor=yuehai_manager, group=group, held_on=date(2026, 4, 1), topic="一", attendees=[member]
    )
    with pytest.raises(PermissionDenied):
        group_delete(actor=worker, group=group)
    group_delete(actor=yuehai_manager, group=group)
    assert not Group.objects.exists() and not GroupSession.objects.exists()
    assert tallies(YUEHAI) == {}
    assert AuditEntry.objects.filter(object_type="groups.group", action=Action.DELETE).exists()


def test_a_group_of_a_village_room_is_scoped_to_the_village(yuehai_manager, yuehai_room):
    group = make_group(yuehai_manager, yuehai_room)
    assert group.region_code == YUEHAI_VILLAGE
