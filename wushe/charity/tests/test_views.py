"""The charity pages: lists, forms with errors beside the fields, a fund's ledger with its
running balance, donors' numbers masked and their opening audited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsMovement
from wushe.charity.tests.sample import (
    days_ago,
    give_goods,
    give_money,
    make_donor,
    make_fund,
    person_id,
    spend,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def test_every_page_renders_for_a_manager(manager_client, yuehai_manager):
    fund = make_fund(yuehai_manager)
    donor = make_donor(yuehai_manager, id_number=person_id(501), phone="13800138000")
    donation = give_money(yuehai_manager, fund, "300.00", donor=donor)
    paid = spend(yuehai_manager, fund, "100.00")
    item = give_goods(yuehai_manager).goods_item
    for url in (
        "/charity/",
        "/charity/donors/",
        "/charity/donors/new/",
        f"/charity/donors/{donor.pk}/",
        f"/charity/donors/{donor.pk}/edit/",
        "/charity/donations/",
        "/charity/donations/new/",
        "/charity/donations/new/?kind=goods",
        f"/charity/donations/{donation.pk}/",
        "/charity/funds/",
        "/charity/funds/new/",
        f"/charity/funds/{fund.pk}/",
        f"/charity/funds/{fund.pk}/edit/",
        "/charity/goods/",
        f"/charity/goods/{item.pk}/",
    ):
        response = manager_client.get(url)
        assert response.status_code == 200, url
    page = manager_client.get(f"/charity/funds/{fund.pk}/").content.decode()
    assert "200.00" in page and "300.00" in page and f"#{paid.pk}" in page


def test_the_donor_page_masks_numbers_and_records_the_view(manager_client, yuehai_manager):
    number = person_id(502)
    donor = make_donor(yuehai_manager, id_number=number, phone="13800138000")
    page = manager_client.get(f"/charity/donors/{donor.pk}/").content.decode()
    assert number not in page and "13800138000" not in page
    assert number[:6] in page and "8000" in page
    viewed = AuditEntry.objects.filter(object_type="charity.donor", action="view")
    assert viewed.count() == 1
    unmasked = manager_client.post(
        f"/charity/donors/{donor.pk}/unmask/", {"field": "phone"}, HTTP_HX_REQUEST="true"
    )
    assert "13800138000" in unmasked.content.decode()
    assert viewed.count() == 2
    edit = manager_client.get(f"/charity/donors/{donor.pk}/edit/").content.decode()
    assert number not in edit and "13800138000" not in edit


def test_registering_a_donor_shows_errors_beside_the_fields(manager_client):
    response = manager_client.post(
        "/charity/donors/new/",
        {"kind": "person", "name": "王五", "id_number": "110101199001011234", "region": "999"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "region" in form.errors
    response = manager_client.post(
        "/charity/donors/new/",
        {
            "kind": "person",
            "name": "王五",
            "id_number": "11010119900101123X",
            "region": YUEHAI_VILLAGE,
        },
    )
    assert response.status_code == 400 and "id_number" in response.context["form"].errors
    assert Donor.objects.count() == 0
    response = manager_client.post(
        "/charity/donors/new/",
        {"kind": "person", "name": "王五", "id_number": person_id(503), "region": YUEHAI_VILLAGE},
    )
    assert response.status_code == 302 and Donor.objects.get().name == "王五"


def test_receiving_money_into_a_fund_from_the_form(manager_client, yuehai_manager):
    fund = make_fund(yuehai_manager)
    response = manager_client.post(
        "/charity/donations/new/",
        {"kind": "money", "amount": "88.80", "fund": fund.pk, "received_on": days_ago(1)},
    )
    assert response.status_code == 302
    fund.refresh_from_db()
    assert fund.balance == Decimal("88.80")
    assert Donation.objects.get().region_id == YUEHAI_VILLAGE


def test_receiving_goods_from_the_form_fills_the_stock(manager_client):
    response = manager_client.post(
        "/charity/donations/new/",
        {
            "kind": "goods",
            "item_name": "食用油",
            "quantity": "12",
            "unit": "桶",
            "region": YUEHAI_VILLAGE,
            "received_on": days_ago(1),
        },
    )
    assert response.status_code == 302
    assert GoodsMovement.objects.get().stock_after == 12


def test_switching_the_kind_swaps_the_fields(manager_client):
    goods = manager_client.get(
        "/charity/donations/new/", {"kind": "goods", "note": "周末义卖"}, HTTP_HX_REQUEST="true"
    )
    html = goods.content.decode()
    assert 'name="item_name"' in html and 'name="amount"' not in html and "周末义卖" in html
    money = manager_client.get("/charity/donations/new/", {"kind": "money"}).content.decode()
    assert 'name="amount"' in money and 'name="item_name"' not in money
    assert 'value="money" checked' in money  # the kind shown is the kind chosen


def test_a_disbursement_above_the_balance_is_shown_beside_the_amount(
    manager_client, yuehai_manager
):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    before = FundEntry.objects.count(), AuditEntry.objects.count()
    response = manager_client.post(
        f"/charity/funds/{fund.pk}/disburse/", {"amount": "150", "purpose": "慰问"}
    )
    assert response.status_code == 400
    assert "amount" in response.context["disburse_form"].errors
    assert "100.00" in str(response.context["disburse_form"].errors["amount"])
    assert FundEntry.objects.count() == before[0]
    assert CommunityFund.objects.get(pk=fund.pk).balance == Decimal("100.00")
    ok = manager_client.post(
        f"/charity/funds/{fund.pk}/disburse/", {"amount": "60", "purpose": "慰问"}
    )
    assert ok.status_code == 302
    assert CommunityFund.objects.get(pk=fund.pk).balance == Decimal("40.00")


def test_reversing_from_the_ledger_page(manager_client, yuehai_manager):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    paid = spend(yuehai_manager, fund, "30.00")
    url = f"/charity/funds/{fund.pk}/entries/{paid.pk}/reverse/"
    missing = manager_client.post(url, {"reason": ""})
    assert missing.status_code == 400 and "reason" in missing.context["reverse_form"].errors
    assert manager_client.post(url, {"reason": "录错"}).status_code == 302
    assert CommunityFund.objects.get(pk=fund.pk).balance == Decimal("100.00")


def test_handing_out_goods_from_the_page(manager_client, yuehai_manager):
    item = give_goods(yuehai_manager, quantity="3").goods_item
    url = f"/charity/goods/{item.pk}/distribute/"
    over = manager_client.post(url, {"quantity": "4", "recipient": "张阿姨"})
    assert over.status_code == 400 and "quantity" in over.context["distribute_form"].errors
    assert manager_client.post(url, {"quantity": "3", "recipient": "张阿姨"}).status_code == 302
    item.refresh_from_db()
    assert item.quantity == 0


def test_cancelling_a_donation_from_its_page(manager_client, yuehai_manager):
    donation = give_goods(yuehai_manager, quantity="5")
    url = f"/charity/donations/{donation.pk}/cancel/"
    assert manager_client.post(url, {"reason": ""}).status_code == 400
    assert manager_client.post(url, {"reason": "重复登记"}).status_code == 302
    donation.refresh_from_db()
    donation.goods_item.refresh_from_db()
    assert donation.cancelled and donation.goods_item.quantity == 0


def test_an_auditor_reads_but_cannot_write(client, nanshan_auditor, yuehai_manager):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "10.00")
    client.force_login(nanshan_auditor)
    assert client.get(f"/charity/funds/{fund.pk}/").status_code == 200
    assert client.get("/charity/donors/new/").status_code == 403
    response = client.post(f"/charity/funds/{fund.pk}/disburse/", {"amount": "1", "purpose": "x"})
    assert response.status_code == 403
    assert FundEntry.objects.count() == 1
    assert AuditEntry.objects.filter(success=False, actor=nanshan_auditor).count() == 2


def test_a_worker_hands_out_goods_but_does_not_spend(client, shekou_worker, nanshan_admin):
    fund = make_fund(nanshan_admin, "440305005001")
    give_money(nanshan_admin, fund, "10.00")
    client.force_login(shekou_worker)
    page = client.get(f"/charity/funds/{fund.pk}/").content.decode()
    assert "/disburse/" not in page
    assert client.post(f"/charity/funds/{fund.pk}/disburse/", {"amount": "1"}).status_code == 403


def test_a_person_donor_changed_to_anonymous_drops_the_id_number(manager_client, yuehai_manager):
    donor = make_donor(yuehai_manager, id_number=person_id(504))
    response = manager_client.post(
        f"/charity/donors/{donor.pk}/edit/",
        {"kind": "anonymous", "name": "", "region": YUEHAI_VILLAGE},
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert (donor.kind, donor.id_number, donor.id_hash) == ("anonymous", "", "")
