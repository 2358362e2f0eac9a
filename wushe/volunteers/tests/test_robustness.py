"""Lists cost the same number of queries however many rows they show, and random input to the
pages and the API never makes them fail."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wushe.core.tests.api_client import token_client
from wushe.people.identity import make_id_number
from wushe.volunteers import selectors
from wushe.volunteers.models import LedgerEntry, Volunteer
from wushe.volunteers.tests.sample import register_wang

pytestmark = pytest.mark.django_db


def _register(actor, count: int, start: int = 0) -> None:
    from datetime import date

    for index in range(start, start + count):
        number = make_id_number("440305", date(1985, 1, 1 + index), 200 + index)
        register_wang(actor, id_number=number, name=f"志愿者{index}")


def test_the_list_page_and_api_do_not_query_per_row(
    client, nanshan_admin, django_assert_max_num_queries
):
    _register(nanshan_admin, 2)
    client.force_login(nanshan_admin)
    api = token_client(nanshan_admin)
    with django_assert_max_num_queries(14) as few:
        assert client.get("/volunteers/").status_code == 200
    with django_assert_max_num_queries(10) as few_api:
        assert api.get("/api/volunteers/").status_code == 200
    _register(nanshan_admin, 10, start=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/volunteers/").status_code == 200
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert api.get("/api/volunteers/").json()["count"] == 12


def test_volunteer_counts_are_for_the_range_only(nanshan_admin, futian_admin):
    _register(nanshan_admin, 3)
    assert selectors.volunteer_counts(nanshan_admin.scope_range)["active"] == 3
    assert selectors.volunteer_counts(futian_admin.scope_range) == {"active": 0, "hours": 0}


text = st.text(max_size=30)
junk = st.one_of(text, st.integers(-(10**20), 10**20).map(str), st.just(""), st.just("\x00"))
fields = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "id_number",
            "phone",
            "region",
            "latitude",
            "longitude",
            "availability",
            "capacity",
            "radius_km",
            "skills",
            "hours",
            "points",
            "tier",
            "occurred_on",
            "content",
            "activity",
            "reason",
            "members",
            "leader",
            "status",
        ]
    ),
    junk,
)


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=fields)
def test_random_posts_never_fail_and_write_nothing_wrong(client, yuehai_manager, data):
    wang = Volunteer.objects.first() or register_wang(yuehai_manager)
    client.force_login(yuehai_manager)
    entries = LedgerEntry.objects.count()
    for url in (
        "/volunteers/new/",
        f"/volunteers/{wang.pk}/edit/",
        f"/volunteers/{wang.pk}/service/",
        f"/volunteers/{wang.pk}/redeem/",
        "/volunteers/teams/new/",
        "/volunteers/rules/points/",
    ):
        assert client.post(url, data).status_code in (200, 302, 400), url
    api = token_client(yuehai_manager)
    for url in (
        "/api/volunteers/",
        f"/api/volunteers/{wang.pk}/service/",
        f"/api/volunteers/{wang.pk}/redeem/",
        "/api/volunteer-teams/",
    ):
        assert api.post(url, data, format="json").status_code in (201, 400), url
    assert api.patch(f"/api/volunteers/{wang.pk}/", data, format="json").status_code in (200, 400)
    assert LedgerEntry.objects.count() >= entries
    assert selectors.balance(wang)[1] >= 0


def test_an_empty_post_to_any_form_is_a_400_with_its_errors_and_writes_nothing(
    client, nanshan_admin
):
    """A submitted form with nothing in it is a refused form (400, errors beside the required
    fields), not the blank form again as if nothing had been sent."""
    from datetime import date

    from wushe.volunteers.ledger_services import service_record
    from wushe.volunteers.models import Skill, VolunteerTeam

    wang = register_wang(nanshan_admin)
    entry = service_record(
        actor=nanshan_admin, volunteer=wang, hours="1", occurred_on=date(2026, 3, 1), content="x"
    )
    team = VolunteerTeam.objects.create(name="队", region=wang.region, created_by=nanshan_admin)
    skill = Skill.objects.get(code="visiting")
    client.force_login(nanshan_admin)
    for url in (
        "/volunteers/new/",
        f"/volunteers/{wang.pk}/edit/",
        f"/volunteers/{wang.pk}/invite/",
        f"/volunteers/{wang.pk}/service/",
        f"/volunteers/{wang.pk}/honour/",
        f"/volunteers/{wang.pk}/redeem/",
        f"/volunteers/{wang.pk}/entries/{entry.pk}/correct/",
        "/volunteers/teams/new/",
        f"/volunteers/teams/{team.pk}/edit/",
        f"/volunteers/skills/{skill.pk}/edit/",
    ):
        page = client.post(url, {})
        assert page.status_code == 400, url
        assert page.context["form"].errors, url
    assert LedgerEntry.objects.count() == 1 and Volunteer.objects.count() == 1
    wang.refresh_from_db()
    assert wang.user is None and wang.name == "王志强"
    assert VolunteerTeam.objects.get().name == "队" and Skill.objects.get(pk=skill.pk).active
