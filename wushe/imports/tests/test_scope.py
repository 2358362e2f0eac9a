"""The scope matrix of import jobs (as wushe/core/tests/test_scope_matrix.py): for every role of
the cast, a job it may not see is a 404 on every page and endpoint and is left out of lists.

Everyone who may import uploads one job. A user sees its own jobs; an administrator also the
jobs of its subtree, which it may read but not confirm (403): the import would run as someone
else. What each user should see is computed from the cast's regions, not listed by hand.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from wushe.imports.models import ImportJob
from wushe.people.models import Resident

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]
IMPORTERS = ["nanshan_admin", "yuehai_manager", "shekou_worker", "futian_admin"]


@pytest.fixture
def jobs(cast):
    return [
        ImportJob.objects.create(
            owner=cast[name],
            region_id=cast[name].region_id,
            kind="residents",
            file_name=f"{name}.xlsx",
            status="checked",
            rows=1,
            to_create=1,
            expires_at=timezone.now() + timedelta(hours=1),
        )
        for name in IMPORTERS
    ]


def visible(user, jobs) -> list[ImportJob]:
    return [
        job
        for job in jobs
        if job.owner == user or (user.is_admin and user.can_see_code(job.region_id))
    ]


@pytest.fixture(params=ROLES)
def actor(request, cast):
    return cast[request.param]


@pytest.fixture
def page_client(client, actor):
    client.force_login(actor)
    return client


@pytest.fixture
def api_client(actor):
    api = APIClient()
    api.force_authenticate(actor)
    return api


def test_pages_answer_404_for_jobs_out_of_sight(page_client, actor, jobs):
    seen = visible(actor, jobs)
    assert len(seen) < len(jobs), "every role of the cast has a job it may not see"
    for job in jobs:
        expected = 200 if job in seen else 404
        assert page_client.get(f"/imports/{job.pk}/").status_code == expected
        assert page_client.get(f"/imports/{job.pk}/status/").status_code == expected
        assert page_client.get(f"/imports/{job.pk}/errors.csv").status_code == expected
        confirmed = page_client.post(f"/imports/{job.pk}/confirm/")
        assert confirmed.status_code == (
            404 if job not in seen else 302 if job.owner == actor else 403
        )
    assert page_client.get("/imports/987654/").status_code == 404


def test_the_page_list_holds_exactly_the_jobs_in_sight(page_client, actor, jobs):
    listing = page_client.get("/imports/")
    assert listing.status_code == 200
    assert set(listing.context["page"]) == set(visible(actor, jobs))
    html = listing.content.decode()
    for job in jobs:
        assert (job.file_name in html) == (job in visible(actor, jobs))


def test_the_api_answers_404_for_jobs_out_of_sight(api_client, actor, jobs):
    seen = visible(actor, jobs)
    for job in jobs:
        url = f"/api/imports/{job.pk}/"
        expected = 200 if job in seen else 404
        assert api_client.get(url).status_code == expected
        assert api_client.get(f"{url}progress/").status_code == expected
        if job not in seen:
            assert api_client.post(f"{url}confirm/", {}, format="json").status_code == 404
        elif job.owner != actor:
            assert api_client.post(f"{url}confirm/", {}, format="json").status_code == 403
    body = api_client.get("/api/imports/").json()
    assert body["count"] == len(seen)
    assert {row["id"] for row in body["results"]} == {job.pk for job in seen}


def test_no_one_but_the_owner_started_an_import(page_client, actor, jobs):
    for job in jobs:
        page_client.post(f"/imports/{job.pk}/confirm/")
    for job in jobs:
        job.refresh_from_db()
        # The owner's own confirmation finds no stored sheet here and fails; nobody else's
        # confirmation changed anything.
        assert job.status == ("failed" if job.owner == actor else "checked")
    assert not Resident.objects.exists()


def test_the_lists_take_as_many_queries_for_many_jobs_as_for_one(client, cast, jobs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = cast["nanshan_admin"]
    client.force_login(admin)
    api = APIClient()
    api.force_authenticate(admin)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get("/imports/").status_code == 200
        with CaptureQueriesContext(connection) as listing:
            assert api.get("/api/imports/").status_code == 200
        return len(page), len(listing)

    queries()  # the user's region, once cached, is not fetched again
    few = queries()
    for number in range(5):
        jobs[0].pk = None
        jobs[0].file_name = f"more-{number}.xlsx"
        jobs[0].save()
    assert queries() == few
