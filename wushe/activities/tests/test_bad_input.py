"""Any input to the activity API gets a 2xx or a 400 with field messages, never a 500, and a
refused write leaves nothing behind: the tallies always equal the records."""

import hypothesis
import pytest
from hypothesis import strategies as st
from rest_framework.test import APIClient

from conftest import YUEHAI_VILLAGE
from wushe.activities.models import Activity
from wushe.activities.tests.test_tallies import counted_by_hand, tallied
from wushe.core.service_areas import ServiceArea
from wushe.groups.tests.sample import SHEKOU_VILLAGE, file_resident
from wushe.groups.tests.test_bad_input import JUNK, SETTINGS, answered, dates, either

pytestmark = pytest.mark.django_db


def test_random_activities_are_recorded_or_refused_cleanly(
    nanshan_admin, yuehai_manager, yuehai_station, yuehai_room
):
    people = [file_resident(yuehai_manager, n).pk for n in (1, 2, 3)]
    stranger = file_resident(nanshan_admin, 4, SHEKOU_VILLAGE).pk
    places = ["440305007", YUEHAI_VILLAGE, "440305007004", "440305", SHEKOU_VILLAGE, "4403050"]
    body = st.fixed_dictionaries(
        {
            "held_on": dates(),
            "theme": either(st.text(min_size=1, max_size=210)),
            "place": either(st.text(min_size=1, max_size=50)),
            "service_area": either(st.sampled_from(ServiceArea.values)),
            "station": either(
                st.sampled_from([yuehai_station.pk, yuehai_room.pk]), st.sampled_from([0, 2**64])
            ),
        },
        optional={
            "region": either(st.sampled_from(places)),
            "participants": either(
                st.lists(st.sampled_from(people), max_size=3),
                st.lists(st.sampled_from([*people, stranger, 987654, 2**63]), max_size=4),
            ),
            "anonymous_count": either(st.integers(0, 200), st.integers(-(2**70), 2**70)),
            "volunteer_names": either(st.lists(st.text(max_size=60), max_size=5)),
            "volunteer_count": either(st.integers(0, 10), JUNK),
            "notes": either(st.text(max_size=50)),
        },
    )
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    statuses = []
    valid = {
        "held_on": "2026-06-01",
        "theme": "活动",
        "place": "广场",
        "service_area": "youth",
        "station": yuehai_station.pk,
        "participants": people[:2],
        "anonymous_count": 9,
    }

    @SETTINGS
    @hypothesis.given(data=body, method=st.sampled_from(["post", "patch", "put", "people"]))
    @hypothesis.example(data=valid, method="post")  # at least these get through
    @hypothesis.example(data={"anonymous_count": 3}, method="patch")
    def run(data, method):
        before = Activity.objects.count()
        activity = Activity.objects.first()
        if method == "post" or activity is None:
            status = answered(api.post("/api/activities/", data, format="json"))
            assert Activity.objects.count() == before + (status == 201)
        elif method == "people":
            sent = {"participants": data.get("participants", [])}
            url = f"/api/activities/{activity.pk}/participants/"
            status = answered(api.put(url, sent, format="json"))
        else:
            url = f"/api/activities/{activity.pk}/"
            status = answered(getattr(api, method)(url, data, format="json"))
        statuses.append(status)
        assert tallied() == counted_by_hand()

    run()
    assert {200, 201, 400} <= set(statuses)
    assert not Activity.objects.filter(participants=stranger).exists()
