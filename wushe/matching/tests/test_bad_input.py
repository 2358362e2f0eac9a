"""Any input to the needs API and the hand edit of a proposal gets a 2xx or a 400 with field
messages, never a 500; a refused write leaves nothing behind."""

from __future__ import annotations

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.test import APIClient

from wushe.core.service_areas import ServiceArea
from wushe.groups.tests.test_bad_input import JUNK, SETTINGS, answered, dates, either
from wushe.matching.models import Need, Proposal
from wushe.matching.run_services import match_run
from wushe.matching.tests.sample import (
    KEJIYUAN,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.volunteers.choices import SEED_SKILLS

pytestmark = pytest.mark.django_db
SKILL_CODES = [code for code, _name in SEED_SKILLS]


def test_random_needs_are_recorded_or_refused_cleanly(yuehai_manager, yuehai_station):
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    residents = [make_resident(yuehai_manager, f"居民{n}").pk for n in range(2)]
    body = st.fixed_dictionaries(
        {
            "station": either(st.just(yuehai_station.pk), st.sampled_from([0, 987654, 2**64])),
            "service_area": either(st.sampled_from(ServiceArea.values)),
            "date_from": dates(),
            "description": either(st.text(min_size=1, max_size=80)),
        },
        optional={
            "resident": either(st.sampled_from(residents), st.sampled_from([0, 2**63, -1])),
            "skills": either(st.lists(st.sampled_from([*SKILL_CODES, "nope"]), max_size=3)),
            "urgency": either(st.integers(0, 2), st.integers(-3, 10**12)),
            "window": either(st.integers(0, 2**21 - 1), st.integers(-5, 2**40)),
            "date_to": dates(),
            "region": either(st.sampled_from(["440305007", KEJIYUAN, "440305005001", "4403"])),
            "latitude": either(st.decimals(-100, 100, places=6).map(str)),
            "longitude": either(st.decimals(-200, 200, places=6).map(str)),
            "source": either(st.sampled_from(["request", "visit", "case", "x"])),
            "visit": JUNK,
        },
    )

    @SETTINGS
    @hypothesis.given(data=body)
    def post(data):
        before = Need.objects.count()
        status = answered(api.post("/api/needs/", data, format="json"))
        assert Need.objects.count() == before + (1 if status == 201 else 0)

    post()


def test_random_hand_edits_are_applied_or_refused_cleanly(yuehai_manager, yuehai_station):
    put_points()
    volunteers = [
        make_volunteer(yuehai_manager, f"志愿者{n}", KEJIYUAN, skills=skills).pk
        for n, skills in enumerate([("meals",), ("legal",), ("meals", "visiting")])
    ]
    make_need(yuehai_manager, yuehai_station, make_resident(yuehai_manager, "张秀英"))
    match_run(actor=yuehai_manager, station=yuehai_station, today=timezone.localdate())
    proposal = Proposal.objects.get()
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    body = st.fixed_dictionaries(
        {},
        optional={
            "volunteer": either(st.sampled_from(volunteers), st.sampled_from([0, 2**63])),
            "offer": JUNK,
        },
    )

    @SETTINGS
    @hypothesis.given(data=body)
    def post(data):
        answer = answered(api.post(f"/api/proposals/{proposal.pk}/edit/", data, format="json"))
        chosen = Proposal.objects.get(pk=proposal.pk).volunteer_id
        assert chosen != volunteers[1]  # the one without the skill is never given the need
        assert answer in (200, 400)

    post()
