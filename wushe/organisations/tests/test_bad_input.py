"""Any input to the organisation API and pages gets a 2xx or a 400 with field messages, never a
500, and a refused write leaves nothing behind (no organisation, area, period or audit entry)."""

from __future__ import annotations

from datetime import date

import hypothesis
import pytest
from hypothesis import strategies as st
from rest_framework.test import APIClient

from conftest import YUEHAI
from wushe.audit.models import AuditEntry
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import OrganisationStatus, OrganisationType
from wushe.organisations.models import IncubationPeriod, Organisation, OrganisationService
from wushe.organisations.tests.sample import credit_code, make_organisation

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


def either(good, junk=JUNK):
    """Good values three times in four, so that many requests get through to the services."""
    return st.one_of(good, good, good, junk)


def dates():
    likely = st.dates(date(2015, 1, 1), date(2025, 12, 31)).map(date.isoformat)
    anyday = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    return st.one_of(likely, likely, anyday, JUNK)


def codes():
    """Good codes, typed-over codes, and text."""
    good = st.integers(0, 999999).map(credit_code)
    typo = good.map(lambda code: code[:17] + ("0" if code[17] != "0" else "1"))
    return st.one_of(good, good, typo, st.just(""), st.text(max_size=20))


def answered(response) -> int:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json") or response.status_code == 204
    return response.status_code


def counts() -> tuple[int, ...]:
    return (
        Organisation.objects.count(),
        OrganisationService.objects.count(),
        IncubationPeriod.objects.count(),
        AuditEntry.objects.count(),
    )


def test_random_organisations_are_created_or_refused_cleanly(yuehai_manager):
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    body = st.fixed_dictionaries(
        {
            "name": either(st.text(min_size=1, max_size=110)),
            "kind": either(st.sampled_from(OrganisationType.values)),
            "region": either(st.sampled_from(["440305007", "440305007003", "440304", "9"])),
            "service_areas": either(st.lists(st.sampled_from(ServiceArea.values), max_size=4)),
        },
        optional={
            "credit_code": codes(),
            "contact_phone": either(st.sampled_from(["13800138000", "0755-26888888", "12"])),
            "founded_on": dates(),
            "status": either(st.sampled_from(OrganisationStatus.values)),
            "note": either(st.text(max_size=40)),
        },
    )
    statuses = []
    valid = {
        "name": "社工机构",
        "kind": "community",
        "region": "440305007",
        "service_areas": ["elderly"],
    }

    @SETTINGS
    @hypothesis.given(data=body, method=st.sampled_from(["post", "patch", "put"]))
    @hypothesis.example(data=valid, method="post")
    @hypothesis.example(data={"name": "改名"}, method="patch")
    def run(data, method):
        before = counts()
        organisation = Organisation.objects.first()
        if method == "post" or organisation is None:
            status = answered(api.post("/api/organisations/", data, format="json"))
        else:
            url = f"/api/organisations/{organisation.pk}/"
            status = answered(getattr(api, method)(url, data, format="json"))
        statuses.append(status)
        if status >= 400:
            assert counts() == before

    run()
    assert {200, 201, 400} <= set(statuses)


def test_random_incubation_is_recorded_or_refused_cleanly(yuehai_manager, yuehai_station):
    organisation = make_organisation(yuehai_manager, YUEHAI, 1)
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    url = f"/api/organisations/{organisation.pk}/incubation/"
    enter = st.fixed_dictionaries(
        {"entered_on": dates()},
        optional={
            "site": either(st.sampled_from([yuehai_station.pk, 987654, 0, 2**64])),
            "base_name": either(st.text(max_size=110)),
            "note": either(st.text(max_size=210)),
        },
    )
    leave = st.fixed_dictionaries({"left_on": dates()})
    statuses = []

    @SETTINGS
    @hypothesis.given(action=st.sampled_from(["enter", "leave"]), enter=enter, leave=leave)
    @hypothesis.example(
        action="enter", enter={"site": yuehai_station.pk, "entered_on": "2020-01-01"}, leave={}
    )
    def run(action, enter, leave):
        before = counts()
        data = enter if action == "enter" else leave
        status = answered(api.post(f"{url}{action}/", data, format="json"))
        statuses.append(status)
        if status >= 400:
            assert counts() == before
        periods = list(IncubationPeriod.objects.filter(organisation=organisation))
        assert sum(period.left_on is None for period in periods) <= 1

    run()
    assert 400 in statuses and 201 in statuses


def test_random_page_forms_never_fail(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    organisation = make_organisation(yuehai_manager, YUEHAI, 2)
    text = st.text(max_size=30)
    form = st.fixed_dictionaries(
        {},
        optional={
            "name": text,
            "kind": text,
            "credit_code": codes(),
            "region": text,
            "service_areas": st.lists(text, max_size=3),
            "contact_phone": text,
            "founded_on": text,
            "status": text,
            "site": text,
            "entered_on": text,
            "left_on": text,
        },
    )
    urls = [
        "/organisations/new/",
        f"/organisations/{organisation.pk}/edit/",
        f"/organisations/{organisation.pk}/incubation/enter/",
        f"/organisations/{organisation.pk}/incubation/leave/",
    ]

    @SETTINGS
    @hypothesis.given(data=form, url=st.sampled_from(urls))
    def run(data, url):
        before = counts()
        answer = client.post(url, data)
        assert answer.status_code in (200, 302, 400), answer.status_code
        if answer.status_code == 400:
            assert counts() == before
        assert client.get("/organisations/", {"kind": data.get("kind", "")}).status_code in (
            200,
            400,
        )

    run()
