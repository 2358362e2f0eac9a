"""The charity API: donors (masked, unmasking audited), donations of money and goods,
community funds with their ledger, disbursing (refused above the balance), reversing, goods
and hand-outs; field messages on bad input, nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry
from wushe.charity.tests.sample import (
    give_goods,
    give_money,
    make_donor,
    make_fund,
    person_id,
    spend,
)

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def api(yuehai_manager):
    return api_for(yuehai_manager)


def test_a_donor_is_registered_read_masked_and_unmasked(api, yuehai_manager):
    number = person_id(601)
    created = api.post(
        "/api/donors/",
        {
            "kind": "person",
            "name": "赵六",
            "id_number": number,
            "phone": "13800138000",
            "region": YUEHAI_VILLAGE,
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["id_number"] == number[:6] + "********" + number[-4:]
    assert "13800138000" not in str(body)
    assert api.get(f"/api/donors/{body['id']}/").json()["name"] == "赵六"
    unmasked = api.post(f"/api/donors/{body['id']}/unmask/", {"field": "id_number"})
    assert unmasked.json() == {"field": "id_number", "value": number}
    views = AuditEntry.objects.filter(object_type="charity.donor", action="view")
    assert views.count() == 2  # the opening and the unmasking
    patched = api.patch(f"/api/donors/{body['id']}/", {"note": "常年捐赠"})
    assert patched.status_code == 200 and Donor.objects.get().id_number == number


def test_bad_donor_input_gets_field_messages(api):
    answer = api.post(
        "/api/donors/",
        {"kind": "person", "name": "x", "id_number": "123", "phone": "1", "region": "440305007003"},
    )
    assert answer.status_code == 400
    assert {"id_number", "phone"} <= set(answer.json())
    assert Donor.objects.count() == 0


def test_money_into_a_fund_disbursing_and_the_ledger(api, yuehai_manager):
    fund = make_fund(yuehai_manager)
    answer = api.post("/api/donations/", {"kind": "money", "amount": "1000.00", "fund": fund.pk})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["region"] == YUEHAI_VILLAGE
    over = api.post(
        f"/api/community-funds/{fund.pk}/disburse/", {"amount": "1000.01", "purpose": "助学"}
    )
    assert over.status_code == 400 and list(over.json()) == ["amount"]
    paid = api.post(
        f"/api/community-funds/{fund.pk}/disburse/", {"amount": "400", "purpose": "助学"}
    )
    assert paid.status_code == 201 and paid.json()["balance_after"] == "600.00"
    ledger = api.get(f"/api/community-funds/{fund.pk}/ledger/").json()
    assert [row["balance_after"] for row in ledger["results"]] == ["600.00", "1000.00"]
    assert api.get(f"/api/community-funds/{fund.pk}/").json()["balance"] == "600.00"
    entry = paid.json()["id"]
    reversed_ = api.post(
        f"/api/community-funds/{fund.pk}/entries/{entry}/reverse/", {"reason": "录错"}
    )
    assert reversed_.status_code == 201 and reversed_.json()["reverses"] == entry
    twice = api.post(f"/api/community-funds/{fund.pk}/entries/{entry}/reverse/", {"reason": "x"})
    assert twice.status_code == 400 and "entry" in twice.json()
    assert CommunityFund.objects.get().balance == Decimal("1000.00")


@pytest.mark.parametrize(
    "amount",
    ["-1", "0", "abc", "12345678901234567890", "1.234", "NaN", "Infinity", "1e400", None, ""],
)
def test_bad_amounts_are_400_and_write_nothing(api, yuehai_manager, amount):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    before = FundEntry.objects.count(), Donation.objects.count()
    over = api.post(
        f"/api/community-funds/{fund.pk}/disburse/",
        {"amount": amount, "purpose": "x"},
        format="json",
    )
    assert over.status_code == 400 and "amount" in over.json()
    donated = api.post("/api/donations/", {"kind": "money", "amount": amount, "fund": fund.pk})
    assert donated.status_code == 400
    assert (FundEntry.objects.count(), Donation.objects.count()) == before


@pytest.mark.parametrize("day", ["2999-01-01", "not a date", "2026-02-30", "0000-01-01"])
def test_bad_dates_are_400(api, yuehai_manager, day):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    answer = api.post(
        f"/api/community-funds/{fund.pk}/disburse/",
        {"amount": "1", "purpose": "x", "occurred_on": day},
    )
    assert answer.status_code == 400 and "occurred_on" in answer.json()


def test_goods_come_in_and_are_handed_out(api, yuehai_manager):
    answer = api.post(
        "/api/donations/",
        {
            "kind": "goods",
            "item_name": "月饼",
            "quantity": "30",
            "unit": "盒",
            "region": YUEHAI_VILLAGE,
            "estimated_value": "900",
        },
    )
    assert answer.status_code == 201, answer.json()
    item = answer.json()["goods_item"]
    assert api.get("/api/goods/").json()["results"][0]["quantity"] == "30.00"
    over = api.post(f"/api/goods/{item}/distribute/", {"quantity": "31", "recipient": "王"})
    assert over.status_code == 400 and "quantity" in over.json()
    out = api.post(f"/api/goods/{item}/distribute/", {"quantity": "30", "recipient": "王"})
    assert out.status_code == 201 and out.json()["stock_after"] == "0.00"
    assert len(api.get(f"/api/goods/{item}/movements/").json()["results"]) == 2


def test_a_donation_is_cancelled_by_a_manager_not_a_worker(
    api, yuehai_manager, shekou_worker, nanshan_admin
):
    donation = give_goods(yuehai_manager)
    worker_donation = give_goods(shekou_worker, "440305005001")
    assert (
        api_for(shekou_worker)
        .post(f"/api/donations/{worker_donation.pk}/cancel/", {"reason": "x"})
        .status_code
        == 403
    )
    answer = api.post(f"/api/donations/{donation.pk}/cancel/", {"reason": "重复"})
    assert answer.status_code == 200 and answer.json()["cancelled_at"]
    assert api.post(f"/api/donations/{donation.pk}/cancel/", {"reason": "x"}).status_code == 400


def test_roles_decide_who_spends(yuehai_manager, shekou_worker, nanshan_auditor, nanshan_admin):
    fund = make_fund(nanshan_admin, "440305005001")
    give_money(nanshan_admin, fund, "50.00")
    for user in (shekou_worker, nanshan_auditor):
        answer = api_for(user).post(
            f"/api/community-funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x"}
        )
        assert answer.status_code == 403
    assert api_for(nanshan_auditor).post("/api/donors/", {}).status_code == 403
    assert api_for(shekou_worker).post("/api/community-funds/", {}).status_code == 403
    assert FundEntry.objects.count() == 1


def test_unknown_and_huge_ids_are_404(api, yuehai_manager):
    fund = make_fund(yuehai_manager)
    for url in (
        "/api/donors/99999999999999999999/",
        "/api/community-funds/abc/",
        f"/api/community-funds/{fund.pk}/entries/99999999999999999999/reverse/",
        "/api/goods/-1/",
    ):
        method = api.post if url.endswith("reverse/") else api.get
        assert method(url, {"reason": "x"}).status_code == 404, url


def test_a_disbursement_names_a_resident_in_the_funds_region(api, yuehai_manager, nanshan_admin):
    from wushe.groups.tests.sample import file_resident

    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "50.00")
    elsewhere = file_resident(nanshan_admin, 700, "440305007004")
    answer = api.post(
        f"/api/community-funds/{fund.pk}/disburse/",
        {"amount": "1", "purpose": "x", "resident": elsewhere.pk},
    )
    assert answer.status_code == 400 and "resident" in answer.json()
    here = file_resident(nanshan_admin, 701, YUEHAI_VILLAGE)
    answer = api.post(
        f"/api/community-funds/{fund.pk}/disburse/",
        {"amount": "1", "purpose": "x", "resident": here.pk},
    )
    assert answer.status_code == 201 and answer.json()["resident"] == here.pk


def test_lists_do_not_multiply_queries(api, yuehai_manager, django_assert_max_num_queries):
    fund = make_fund(yuehai_manager)
    for index in range(5):
        make_donor(yuehai_manager, name=f"捐{index}")
        give_money(yuehai_manager, fund, "1.00")
        spend(yuehai_manager, fund, "0.50")
    for url in ("/api/donors/", "/api/donations/", f"/api/community-funds/{fund.pk}/ledger/"):
        with django_assert_max_num_queries(8):
            assert api.get(url).status_code == 200
