"""The scope matrix for charity resources (after wushe/core/tests/test_scope_matrix.py): for
every role of the cast, every page and API endpoint answers 404 for a donor, donation, fund,
ledger entry or item of stock outside the user's subtree, leaves them out of lists and
totals, and changes nothing there.

What is "outside" is computed from each user's region, not listed by hand.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from conftest import make_user
from wushe.accounts.models import Role
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsMovement
from wushe.charity.tests.sample import scope_world

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]


@pytest.fixture
def world(cast):
    return scope_world(make_user("shenzhen_admin", "440300000000", Role.ADMIN))


@pytest.fixture(params=ROLES)
def actor(request, cast):
    return cast[request.param]


def split(user, objects, code_of=lambda obj: obj.region_id):
    inside = [obj for obj in objects if user.can_see_code(code_of(obj))]
    outside = [obj for obj in objects if not user.can_see_code(code_of(obj))]
    return inside, outside


def untouched(before: tuple) -> None:
    assert before == snapshot()


def snapshot() -> tuple:
    return (
        Donor.objects.count(),
        Donation.objects.filter(cancelled_at__isnull=True).count(),
        FundEntry.objects.count(),
        GoodsMovement.objects.count(),
        sorted(CommunityFund.objects.values_list("name", "balance", "status")),
        sorted(Donor.objects.values_list("name", flat=True)),
    )


def test_pages_answer_404_outside_and_change_nothing(client, actor, world):
    client.force_login(actor)
    before = snapshot()
    _inside, outside = split(actor, world["funds"])
    assert outside, "every role of the cast has something outside its subtree"
    for index, fund in enumerate(world["funds"]):
        if fund not in outside:
            continue
        donor, donation = world["donors"][index], world["donations"][index]
        item, entry = world["items"][index], world["entries"][index]
        for url in (
            f"/charity/funds/{fund.pk}/",
            f"/charity/funds/{fund.pk}/edit/",
            f"/charity/donors/{donor.pk}/",
            f"/charity/donors/{donor.pk}/edit/",
            f"/charity/donations/{donation.pk}/",
            f"/charity/goods/{item.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        for url, data in (
            (f"/charity/funds/{fund.pk}/edit/", {"name": "x", "status": "closed"}),
            (f"/charity/funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x"}),
            (f"/charity/funds/{fund.pk}/entries/{entry.pk}/reverse/", {"reason": "x"}),
            (f"/charity/donors/{donor.pk}/edit/", {"kind": "person", "name": "x"}),
            (f"/charity/donors/{donor.pk}/unmask/", {"field": "id_number"}),
            (f"/charity/donations/{donation.pk}/cancel/", {"reason": "x"}),
            (f"/charity/goods/{item.pk}/distribute/", {"quantity": "1", "recipient": "x"}),
        ):
            assert client.post(url, data).status_code == 404, url
    untouched(before)


def test_page_lists_and_the_overview_leave_outside_out(client, actor, world):
    client.force_login(actor)
    inside, outside = split(actor, world["funds"])
    funds = client.get("/charity/funds/").content.decode()
    donors = client.get("/charity/donors/").content.decode()
    goods = client.get("/charity/goods/").content.decode()
    for index, fund in enumerate(world["funds"]):
        shown = fund in inside
        assert (fund.name in funds) == shown
        assert (world["donors"][index].name in donors) == shown
        assert (world["items"][index].name in goods) == shown
    overview = client.get("/charity/")
    assert overview.context["totals"]["funds"] == len(inside)
    assert overview.context["donors"] == len(inside)


def test_the_api_answers_404_outside_and_lists_only_inside(actor, world):
    api = APIClient()
    api.force_authenticate(actor)
    before = snapshot()
    inside, outside = split(actor, world["funds"])
    for index, fund in enumerate(world["funds"]):
        if fund not in outside:
            continue
        donor, donation = world["donors"][index], world["donations"][index]
        item, entry = world["items"][index], world["entries"][index]
        for url in (
            f"/api/community-funds/{fund.pk}/",
            f"/api/community-funds/{fund.pk}/ledger/",
            f"/api/donors/{donor.pk}/",
            f"/api/donations/{donation.pk}/",
            f"/api/goods/{item.pk}/",
            f"/api/goods/{item.pk}/movements/",
        ):
            assert api.get(url).status_code == 404, url
        for url, data in (
            (f"/api/community-funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x"}),
            (f"/api/community-funds/{fund.pk}/entries/{entry.pk}/reverse/", {"reason": "x"}),
            (f"/api/donors/{donor.pk}/unmask/", {"field": "phone"}),
            (f"/api/donations/{donation.pk}/cancel/", {"reason": "x"}),
            (f"/api/goods/{item.pk}/distribute/", {"quantity": "1", "recipient": "x"}),
        ):
            assert api.post(url, data).status_code == 404, url
        assert api.patch(f"/api/community-funds/{fund.pk}/", {"name": "x"}).status_code == 404
        assert api.patch(f"/api/donors/{donor.pk}/", {"name": "x"}).status_code == 404
    for url, objects in (
        ("/api/community-funds/", world["funds"]),
        ("/api/donors/", world["donors"]),
        ("/api/donations/", world["donations"]),
        ("/api/goods/", world["items"]),
    ):
        ids = {row["id"] for row in api.get(url, {"page_size": 500}).json()["results"]}
        visible, _hidden = split(actor, objects)
        assert {obj.pk for obj in visible} <= ids
        assert not ids & {obj.pk for obj in objects if obj not in visible}
    untouched(before)


def test_writing_into_a_region_outside_is_refused(actor, world):
    api = APIClient()
    api.force_authenticate(actor)
    _inside, outside = split(actor, world["funds"])
    for fund in outside:
        for url, body in (
            ("/api/community-funds/", {"name": "越界基金", "region": fund.region_id}),
            ("/api/donors/", {"kind": "anonymous", "region": fund.region_id}),
            ("/api/donations/", {"kind": "money", "amount": "1", "fund": fund.pk}),
        ):
            assert api.post(url, body).status_code in (400, 403), url
    assert not CommunityFund.objects.filter(name="越界基金").exists()
