"""Any input to the social worker API and pages gets a 2xx or a 400 with field messages, never
a 500, and a refused write leaves nothing behind (no worker, training or audit entry)."""

from __future__ import annotations

from datetime import date

import hypothesis
import pytest
from hypothesis import strategies as st
from rest_framework.test import APIClient

from wushe.audit.models import AuditEntry
from wushe.workers.choices import CertificateLevel, Employment, WorkerStatus
from wushe.workers.models import SocialWorker, Training
from wushe.workers.tests.sample import make_worker, worker_id_number

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
    return st.one_of(good, good, good, junk)


def dates():
    likely = st.dates(date(2010, 1, 1), date(2025, 12, 31)).map(date.isoformat)
    anyday = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)
    return st.one_of(likely, likely, anyday, JUNK)


def answered(response) -> int:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"].startswith("application/json") or response.status_code == 204
    return response.status_code


def counts() -> tuple[int, ...]:
    return SocialWorker.objects.count(), Training.objects.count(), AuditEntry.objects.count()


def test_random_workers_are_registered_or_refused_cleanly(yuehai_manager, yuehai_station):
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    body = st.fixed_dictionaries(
        {
            "name": either(st.text(min_size=1, max_size=60)),
            "site": either(st.sampled_from([yuehai_station.pk, 987654, 2**64])),
            "joined_on": dates(),
        },
        optional={
            "gender": either(st.sampled_from(["male", "female"])),
            "id_number": either(st.integers(0, 99).map(worker_id_number), st.text(max_size=20)),
            "phone": either(st.sampled_from(["13900139000", "0755-26888888", "1"])),
            "certificate_level": either(st.sampled_from(CertificateLevel.values)),
            "certificate_number": either(st.text(max_size=45)),
            "certificate_year": either(st.integers(1990, 2040), st.integers()),
            "employment": either(st.sampled_from(Employment.values)),
            "stars": either(st.integers(0, 5), st.integers()),
            "status": either(st.sampled_from(WorkerStatus.values)),
            "left_on": dates(),
            "user": either(st.sampled_from([yuehai_manager.pk, 2**70])),
        },
    )
    statuses = []
    valid = {"name": "社工", "site": yuehai_station.pk, "joined_on": "2024-01-01", "gender": "male"}

    @SETTINGS
    @hypothesis.given(data=body, method=st.sampled_from(["post", "patch", "put"]))
    @hypothesis.example(data=valid, method="post")
    @hypothesis.example(data={"stars": 2}, method="patch")
    def run(data, method):
        before = counts()
        worker = SocialWorker.objects.first()
        if method == "post" or worker is None:
            status = answered(api.post("/api/social-workers/", data, format="json"))
        else:
            url = f"/api/social-workers/{worker.pk}/"
            status = answered(getattr(api, method)(url, data, format="json"))
        statuses.append(status)
        if status >= 400:
            assert counts() == before

    run()
    assert {200, 201, 400} <= set(statuses)


def test_random_trainings_and_unmasking_never_fail(yuehai_manager, yuehai_station):
    worker = make_worker(yuehai_manager, yuehai_station, 1)
    api = APIClient()
    api.force_authenticate(yuehai_manager)
    url = f"/api/social-workers/{worker.pk}/"
    body = st.fixed_dictionaries(
        {
            "title": either(st.text(min_size=1, max_size=210)),
            "held_on": dates(),
            "hours": either(st.decimals(-5, 1200, places=1).map(str), st.text(max_size=8)),
        },
        optional={"provider": either(st.text(max_size=110))},
    )
    statuses = []

    @SETTINGS
    @hypothesis.given(data=body, field=JUNK)
    @hypothesis.example(
        data={"title": "培训", "held_on": "2024-01-01", "hours": "2.5"}, field="phone"
    )
    def run(data, field):
        before = counts()
        status = answered(api.post(url + "trainings/", data, format="json"))
        statuses.append(status)
        if status >= 400:
            assert counts() == before
        answered(api.post(url + "unmask/", {"field": field}, format="json"))

    run()
    assert {201, 400} <= set(statuses)


def test_random_page_forms_never_fail(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    worker = make_worker(yuehai_manager, yuehai_station, 2)
    text = st.text(max_size=30)
    form = st.fixed_dictionaries(
        {},
        optional={
            name: text
            for name in (
                "name",
                "gender",
                "id_number",
                "phone",
                "site",
                "user",
                "certificate_level",
                "certificate_number",
                "certificate_year",
                "stars",
                "status",
                "joined_on",
                "left_on",
                "title",
                "held_on",
                "hours",
                "field",
            )
        },
    )
    urls = [
        "/workers/new/",
        f"/workers/{worker.pk}/edit/",
        f"/workers/{worker.pk}/trainings/new/",
        f"/workers/{worker.pk}/unmask/",
    ]

    @SETTINGS
    @hypothesis.given(data=form, url=st.sampled_from(urls))
    def run(data, url):
        before = counts()
        answer = client.post(url, data)
        assert answer.status_code in (200, 302, 400), answer.status_code
        if answer.status_code == 400:
            assert counts() == before
        query = {"site": data.get("site", ""), "stars": data.get("stars", "")}
        assert client.get("/workers/", query).status_code in (200, 400)

    run()
