"""Any input to the group API gets a 2xx or a 400 with field messages, never a 500, and a
refused write leaves nothing behind: the tallies always equal the records."""

from datetime import date

import hypothesis
import pytest
from hypothesis import strategies as st
from rest_framework.test import APIClient

from wushe.core.service_areas import ServiceArea
from wushe.groups.choices import GroupStatus
from wushe.groups.models import Group, GroupSession
from wushe.groups.services import member_add
from wushe.groups.tests.sample import START, file_resident, make_group
from wushe.groups.tests.test_tallies import counted_by_hand, tallied

pytestmark = pytest.mark.django_db

SETTINGS = hypothesis.settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)
JUNK = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=3),
)


def dates():
    """Mostly days of this year, sometimes any day at all, sometimes no date."""
    likely = st.dates(date(2026, 1, 1), date(2026, 10, 31)).map(date.isoformat)
    anyday = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    return st.one_of(likely, likely, likely, anyday, JUNK)


def either(good, junk=JUNK):
    """Good values three times in four, so that many requests get through to the services."""
    return st.one_of(good, good, good, junk)


def answered(response) -> int:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json") or response.status_code == 204
    return response.status_code


def test_random_groups_are_created_or_refused_cleanly(yuehai_manager, yuehai_station, yuehai_room):
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    stations = [yuehai_station.pk, yuehai_room.pk]
    body = st.fixed_dictionaries(
        {
            "name": either(st.text(min_size=1, max_size=120)),
            "goal": either(st.text(min_size=1, max_size=50)),
            "service_area": either(st.sampled_from(ServiceArea.values)),
            "station": either(st.sampled_from(stations), st.sampled_from([987654, 0, 2**64])),
            "started_on": dates(),
            "planned_sessions": either(st.integers(1, 12), st.integers(-5, 10**20)),
        },
        optional={
            "leader": either(st.sampled_from([yuehai_manager.pk, 2**70])),
            "ended_on": dates(),
            "status": either(st.sampled_from(GroupStatus.values)),
        },
    )
    statuses = []

    valid = {
        "name": "小组",
        "goal": "目标",
        "service_area": "youth",
        "station": yuehai_station.pk,
        "started_on": "2026-03-02",
        "planned_sessions": 4,
    }

    @SETTINGS
    @hypothesis.given(data=body, method=st.sampled_from(["post", "patch", "put"]))
    @hypothesis.example(data=valid, method="post")  # at least these get through
    @hypothesis.example(data={"name": "改名"}, method="patch")
    def run(data, method):
        before = Group.objects.count()
        group = Group.objects.first()
        if method == "post" or group is None:
            status = answered(api.post("/api/groups/", data, format="json"))
            assert Group.objects.count() == before + (status == 201)
        else:
            response = getattr(api, method)(f"/api/groups/{group.pk}/", data, format="json")
            status = answered(response)
        statuses.append(status)
        assert tallied() == counted_by_hand()

    run()
    assert {200, 201, 400} <= set(statuses)  # some got through, some were refused


def test_random_sessions_and_attendance_are_recorded_or_refused_cleanly(
    yuehai_manager, yuehai_station
):
    group = make_group(yuehai_manager, yuehai_station)
    other = make_group(yuehai_manager, yuehai_station, name="别的小组")
    members = [
        member_add(
            actor=yuehai_manager,
            group=group,
            resident=file_resident(yuehai_manager, n),
            joined_on=START,
        ).pk
        for n in (1, 2, 3)
    ]
    stranger = member_add(
        actor=yuehai_manager, group=other, resident=file_resident(yuehai_manager, 4)
    ).pk
    attendees = either(
        st.lists(st.sampled_from(members), max_size=3),
        st.lists(st.sampled_from([*members, stranger, 987654, 2**63]), max_size=5),
    )
    body = st.fixed_dictionaries(
        {"held_on": dates(), "topic": either(st.text(min_size=1, max_size=210))},
        optional={"notes": either(st.text(max_size=50)), "attendees": attendees},
    )
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    url = f"/api/groups/{group.pk}/sessions/"
    statuses = []

    valid = {"held_on": "2026-03-09", "topic": "第一节", "attendees": members[:2]}

    @SETTINGS
    @hypothesis.given(data=body, change=st.booleans(), present=attendees)
    @hypothesis.example(data=valid, change=False, present=[])  # at least these get through
    @hypothesis.example(data={"topic": "破冰"}, change=True, present=members)
    def run(data, change, present):
        session = GroupSession.objects.filter(group=group).first()
        if change and session is not None:
            statuses.append(answered(api.patch(f"{url}{session.pk}/", data, format="json")))
            sent = {"attendees": present}
            statuses.append(
                answered(api.put(f"{url}{session.pk}/attendance/", sent, format="json"))
            )
        else:
            statuses.append(answered(api.post(url, data, format="json")))
        numbers = list(GroupSession.objects.filter(group=group).values_list("number", flat=True))
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert tallied() == counted_by_hand()

    run()
    assert {200, 201, 400} <= set(statuses)
    assert not GroupSession.objects.filter(attendees__group=other).exists()
