"""Bad input on every charity form: an error beside the field (in Chinese by default), a 400,
never a 500, and nothing written."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import YUEHAI_VILLAGE
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsMovement
from wushe.charity.tests.sample import give_goods, give_money, make_fund

pytestmark = pytest.mark.django_db

BAD_NUMBERS = ["-1", "0", "abc", "12345678901234567890", "1.005", "NaN", "Infinity", "1e400", ""]
BAD_DATES = ["2999-01-01", "2026-02-30", "yesterday", "99999-01-01"]


def rows() -> tuple[int, ...]:
    return (
        Donor.objects.count(),
        Donation.objects.count(),
        FundEntry.objects.count(),
        GoodsMovement.objects.count(),
    )


@pytest.fixture
def world(client, yuehai_manager):
    client.force_login(yuehai_manager)
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    item = give_goods(yuehai_manager).goods_item
    return {"client": client, "fund": fund, "item": item}


@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_bad_amounts_and_quantities_are_refused_beside_the_field(world, number):
    client, fund, item = world["client"], world["fund"], world["item"]
    before = rows()
    posts = [
        (f"/charity/funds/{fund.pk}/disburse/", {"amount": number, "purpose": "x"}, "amount"),
        (
            f"/charity/goods/{item.pk}/distribute/",
            {"quantity": number, "recipient": "x"},
            "quantity",
        ),
        ("/charity/donations/new/", {"kind": "money", "amount": number, "fund": fund.pk}, "amount"),
        (
            "/charity/donations/new/",
            {"kind": "goods", "item_name": "米", "unit": "袋", "quantity": number},
            "quantity",
        ),
    ]
    for url, data, field in posts:
        data = {"received_on": "2026-01-01", "region": YUEHAI_VILLAGE, **data}
        response = client.post(url, data)
        assert response.status_code == 400, (url, number)
        form = next(
            response.context[name]
            for name in ("disburse_form", "distribute_form", "form")
            if name in response.context and getattr(response.context[name], "errors", None)
        )
        assert field in form.errors, (url, form.errors)
    assert rows() == before


@pytest.mark.parametrize("day", BAD_DATES)
def test_bad_dates_are_refused_beside_the_field(world, day):
    client, fund = world["client"], world["fund"]
    before = rows()
    response = client.post(
        f"/charity/funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x", "occurred_on": day}
    )
    assert response.status_code == 400
    assert "occurred_on" in response.context["disburse_form"].errors
    response = client.post(
        "/charity/donations/new/",
        {"kind": "money", "amount": "1", "fund": fund.pk, "received_on": day},
    )
    assert response.status_code == 400 and "received_on" in response.context["form"].errors
    assert rows() == before


def test_the_error_is_in_chinese_by_default_and_english_when_chosen(world):
    client, fund = world["client"], world["fund"]
    url = f"/charity/funds/{fund.pk}/disburse/"
    chinese = client.post(url, {"amount": "500", "purpose": "慰问"}).content.decode()
    assert "基金余额仅 100.00 元，不能支出 500.00 元。" in chinese
    client.post("/i18n/setlang/", {"language": "en"})
    english = client.post(url, {"amount": "500", "purpose": "慰问"}).content.decode()
    assert "The fund holds 100.00 yuan: it cannot pay out 500.00 yuan." in english


@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "abc", "1.5", "９", "1\x00"])
def test_bad_ids_in_forms_are_field_errors(world, value):
    client, fund = world["client"], world["fund"]
    before = rows()
    for data in (
        {"kind": "money", "amount": "1", "fund": value},
        {"kind": "money", "amount": "1", "fund": fund.pk, "donor": value},
    ):
        assert client.post("/charity/donations/new/", data).status_code == 400
    response = client.post(
        f"/charity/funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x", "resident": value}
    )
    assert response.status_code == 400
    assert rows() == before


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "kind",
                "amount",
                "fund",
                "donor",
                "region",
                "received_on",
                "item_name",
                "quantity",
                "unit",
                "estimated_value",
                "note",
            ]
        ),
        st.text(max_size=30),
    )
)
def test_no_posted_donation_form_makes_a_page_fail(world, data):
    response = world["client"].post("/charity/donations/new/", data)
    assert response.status_code in (302, 400)


def test_funds_named_twice_or_at_a_city_are_refused(world):
    client = world["client"]
    taken = client.post(
        "/charity/funds/new/", {"name": world["fund"].name, "region": YUEHAI_VILLAGE}
    )
    assert taken.status_code == 400 and "name" in taken.context["form"].errors
    city = client.post("/charity/funds/new/", {"name": "x", "region": "440300"})
    assert city.status_code == 400 and "region" in city.context["form"].errors
    assert CommunityFund.objects.count() == 1


def _posts(names: list[str]):
    return st.dictionaries(st.sampled_from(names), st.text(max_size=30))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    donor=_posts(["kind", "name", "id_number", "credit_code", "organisation", "phone", "region"]),
    spend=_posts(["amount", "purpose", "recipient", "resident", "occurred_on", "note"]),
    hand_out=_posts(["quantity", "recipient", "resident", "purpose", "occurred_on"]),
)
def test_no_posted_donor_disbursement_or_hand_out_makes_a_page_fail(world, donor, spend, hand_out):
    client, fund, item = world["client"], world["fund"], world["item"]
    assert client.post("/charity/donors/new/", donor).status_code in (302, 400)
    assert client.post(f"/charity/funds/{fund.pk}/disburse/", spend).status_code in (302, 400)
    distribute = f"/charity/goods/{item.pk}/distribute/"
    assert client.post(distribute, hand_out).status_code in (302, 400)
    fund.refresh_from_db()
    item.refresh_from_db()
    assert fund.balance >= 0 and item.quantity >= 0
