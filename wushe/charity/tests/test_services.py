"""Donors, donations, funds and stock through the services: rules, refusals that write
nothing, the audit log, and one person's roles by keyed ID hash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import FUTIAN_VILLAGE, NANSHAN, YUEHAI, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role
from wushe.audit.models import AuditEntry
from wushe.charity.choices import DonationKind, DonorKind, FundStatus
from wushe.charity.fund_services import (
    fund_disburse,
    fund_entry_reverse,
    fund_open,
    fund_update,
)
from wushe.charity.goods_services import goods_distribute, goods_movement_reverse
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsItem, GoodsMovement
from wushe.charity.services import (
    donation_cancel,
    donation_receive,
    donor_unmask,
    donor_update,
)
from wushe.charity.tests.sample import (
    days_ago,
    give_goods,
    give_money,
    make_donor,
    make_fund,
    person_id,
    region,
    spend,
)
from wushe.people import roles
from wushe.people.services import resident_file

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Donation.objects.count(),
        FundEntry.objects.count(),
        GoodsMovement.objects.count(),
        AuditEntry.objects.count(),
    )


def test_it_receives_money_into_a_fund_and_the_balance_follows(yuehai_manager):
    fund = make_fund(yuehai_manager)
    donation = give_money(yuehai_manager, fund, "500.00")
    fund.refresh_from_db()
    assert fund.balance == Decimal("500.00")
    entry = donation.fund_entries.get()
    assert (entry.direction, entry.amount, entry.balance_after) == ("in", Decimal("500"), 500)
    spend(yuehai_manager, fund, "120.50")
    fund.refresh_from_db()
    assert fund.balance == Decimal("379.50")


def test_a_disbursement_above_the_balance_is_refused_and_writes_nothing(yuehai_manager, english):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        spend(yuehai_manager, fund, "100.01")
    assert "amount" in refused.value.message_dict
    assert "100.00" in refused.value.message_dict["amount"][0]
    assert counts() == before
    fund.refresh_from_db()
    assert fund.balance == Decimal("100.00")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "1000000000000", "NaN", "abc", 1.5])
def test_bad_amounts_are_refused_beside_the_field(yuehai_manager, amount):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        fund_disburse(actor=yuehai_manager, fund=fund, amount=amount, purpose="x")
    assert list(refused.value.message_dict) == ["amount"]
    assert counts() == before


def test_only_managers_and_administrators_spend(shekou_worker, nanshan_auditor, nanshan_admin):
    fund = make_fund(nanshan_admin, "440305005001")
    give_money(shekou_worker, fund, "50.00")
    for actor in (shekou_worker, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            spend(actor, fund, "10.00")
    with pytest.raises(PermissionDenied):
        fund_open(actor=shekou_worker, name="x", region=region("440305005001"))


def test_a_fund_outside_the_subtree_is_no_such_fund(yuehai_manager, futian_admin):
    fund = make_fund(futian_admin, FUTIAN_VILLAGE)
    give_money(futian_admin, fund, "50.00")
    with pytest.raises(ValidationError) as refused:
        spend(yuehai_manager, fund, "10.00")
    assert list(refused.value.message_dict) == ["fund"]
    with pytest.raises(ValidationError):
        give_money(yuehai_manager, fund, "10.00")


def test_a_fund_belongs_to_a_county_township_or_village(nanshan_admin):
    with pytest.raises(ValidationError) as refused:
        fund_open(actor=nanshan_admin, name="市基金", region=region("440300000000"))
    assert "region" in refused.value.message_dict
    fund_open(actor=nanshan_admin, name="区基金", region=region(NANSHAN))
    with pytest.raises(ValidationError) as refused:
        fund_open(actor=nanshan_admin, name="区基金", region=region(NANSHAN))
    assert "name" in refused.value.message_dict


def test_reversing_an_entry_adds_the_opposite_entry_and_never_edits(yuehai_manager, english):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "100.00")
    paid = spend(yuehai_manager, fund, "30.00")
    reversal = fund_entry_reverse(actor=yuehai_manager, entry=paid, reason="录错金额")
    fund.refresh_from_db()
    assert fund.balance == Decimal("100.00")
    assert (reversal.direction, reversal.amount, reversal.reverses_id) == ("in", 30, paid.pk)
    with pytest.raises(ValidationError) as again:
        fund_entry_reverse(actor=yuehai_manager, entry=paid, reason="again")
    assert again.value.message_dict["entry"] == ["This entry is already reversed."]
    with pytest.raises(ValidationError):
        fund_entry_reverse(actor=yuehai_manager, entry=reversal, reason="again")
    with pytest.raises(ValidationError) as no_reason:
        fund_entry_reverse(actor=yuehai_manager, entry=spend(yuehai_manager, fund, "1"), reason="")
    assert "reason" in no_reason.value.message_dict


def test_a_donations_income_is_reversed_by_cancelling_the_donation(yuehai_manager, english):
    fund = make_fund(yuehai_manager)
    donation = give_money(yuehai_manager, fund, "80.00")
    with pytest.raises(ValidationError) as refused:
        fund_entry_reverse(actor=yuehai_manager, entry=donation.fund_entries.get(), reason="录错")
    assert "cancel the donation" in refused.value.message_dict["entry"][0]
    spend(yuehai_manager, fund, "50.00")
    before = counts()
    with pytest.raises(ValidationError) as spent:
        donation_cancel(actor=yuehai_manager, donation=donation, reason="重复登记")
    assert "donation" in spent.value.message_dict
    assert counts() == before
    give_money(yuehai_manager, fund, "50.00")
    donation_cancel(actor=yuehai_manager, donation=donation, reason="重复登记")
    fund.refresh_from_db()
    donation.refresh_from_db()
    assert fund.balance == Decimal("0.00") and donation.cancelled
    with pytest.raises(ValidationError):
        donation_cancel(actor=yuehai_manager, donation=donation, reason="again")


def test_ledger_entries_cannot_be_changed_or_deleted(yuehai_manager):
    from wushe.charity.ledger import AppendOnlyError

    fund = make_fund(yuehai_manager)
    entry = give_money(yuehai_manager, fund, "10.00").fund_entries.get()
    entry.amount = Decimal("999")
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        FundEntry.objects.filter(pk=entry.pk).update(amount=1)
    with pytest.raises(AppendOnlyError):
        FundEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        GoodsMovement.objects.all().delete()
    assert FundEntry.objects.get(pk=entry.pk).amount == Decimal("10.00")


def test_money_into_a_fund_must_be_for_a_region_the_fund_covers(nanshan_admin):
    fund = make_fund(nanshan_admin, YUEHAI_VILLAGE)
    with pytest.raises(ValidationError) as refused:
        give_money(nanshan_admin, fund, "10.00", region=region(YUEHAI))
    assert "fund" in refused.value.message_dict
    township = make_fund(nanshan_admin, YUEHAI, name="粤海街道社区基金")
    donation = give_money(nanshan_admin, township, "10.00", region=region(YUEHAI_VILLAGE))
    assert donation.region_id == YUEHAI_VILLAGE and donation.fund_entries.count() == 1


def test_money_without_a_fund_is_recorded_without_an_entry(shekou_worker):
    donation = donation_receive(
        actor=shekou_worker,
        kind=DonationKind.MONEY,
        region=region("440305005001"),
        amount=Decimal("200"),
    )
    assert donation.fund is None and not donation.fund_entries.exists()


def test_a_closed_fund_takes_no_money_and_closes_only_when_empty(yuehai_manager):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "10.00")
    with pytest.raises(ValidationError) as refused:
        fund_update(actor=yuehai_manager, fund=fund, status=FundStatus.CLOSED)
    assert "status" in refused.value.message_dict
    spend(yuehai_manager, fund, "10.00")
    fund_update(actor=yuehai_manager, fund=fund, status=FundStatus.CLOSED)
    with pytest.raises(ValidationError) as closed:
        give_money(yuehai_manager, fund, "10.00")
    assert "fund" in closed.value.message_dict
    assert CommunityFund.objects.get(pk=fund.pk).status == FundStatus.CLOSED


def test_a_disbursement_cannot_predate_the_fund_or_be_in_the_future(yuehai_manager):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "10.00")
    for day in (days_ago(31), days_ago(-1)):
        with pytest.raises(ValidationError) as refused:
            spend(yuehai_manager, fund, "1.00", occurred_on=day)
        assert "occurred_on" in refused.value.message_dict


def test_goods_come_into_stock_and_go_out_no_further_than_what_is_on_hand(shekou_worker):
    first = give_goods(shekou_worker, "440305005001", "大米", "10", "袋")
    give_goods(shekou_worker, "440305005001", " 大米 ", "5", "袋")
    item = first.goods_item
    item.refresh_from_db()
    assert item.quantity == 15 and GoodsItem.objects.count() == 1
    before = counts()
    with pytest.raises(ValidationError) as refused:
        goods_distribute(actor=shekou_worker, item=item, quantity=Decimal("16"), recipient="王")
    assert "quantity" in refused.value.message_dict and counts() == before
    out = goods_distribute(actor=shekou_worker, item=item, quantity=Decimal("15"), recipient="王")
    item.refresh_from_db()
    assert item.quantity == 0 and out.stock_after == 0
    with pytest.raises(PermissionDenied):
        goods_movement_reverse(actor=shekou_worker, movement=out, reason="x")


def test_goods_distribution_needs_a_recipient_and_a_positive_quantity(shekou_worker):
    item = give_goods(shekou_worker, "440305005001").goods_item
    with pytest.raises(ValidationError) as refused:
        goods_distribute(actor=shekou_worker, item=item, quantity=Decimal("-1"))
    assert set(refused.value.message_dict) == {"quantity", "recipient"}


def test_a_goods_donation_needs_item_quantity_and_unit(shekou_worker):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        donation_receive(
            actor=shekou_worker,
            kind=DonationKind.GOODS,
            region=region("440305005001"),
            quantity=Decimal("0"),
            estimated_value=Decimal("-1"),
        )
    assert {"item_name", "unit", "quantity", "estimated_value"} <= set(refused.value.message_dict)
    assert counts() == before


def test_a_person_donor_is_one_person_by_keyed_id_hash(nanshan_admin, yuehai_manager):
    number = person_id(401)
    resident = resident_file(
        actor=nanshan_admin, name="张三", id_number=number, region=region(YUEHAI_VILLAGE)
    )
    donor = make_donor(yuehai_manager, name="张三", id_number=number.lower())
    assert donor.id_hash == resident.id_hash
    assert roles.roles_held(donor.id_hash) == {"resident", "donor"}
    assert set(roles.roles_visible(donor.id_hash, yuehai_manager)) == {"resident", "donor"}
    with pytest.raises(ValidationError) as twice:
        make_donor(nanshan_admin, "440305005001", name="张三", id_number=number)
    assert list(twice.value.message_dict) == ["id_number"]
    assert Donor.objects.count() == 1


def test_a_donor_elsewhere_is_not_named(futian_admin, yuehai_manager):
    number = person_id(402)
    make_donor(futian_admin, FUTIAN_VILLAGE, name="秘密", id_number=number)
    with pytest.raises(ValidationError) as refused:
        make_donor(yuehai_manager, name="李四", id_number=number)
    assert "秘密" not in str(refused.value)


def test_donor_fields_must_fit_the_kind(yuehai_manager):
    with pytest.raises(ValidationError) as refused:
        make_donor(
            yuehai_manager,
            kind=DonorKind.ANONYMOUS,
            name="",
            id_number=person_id(403),
            credit_code="91440300MA5XXXXXXX",
            phone="12",
        )
    assert {"id_number", "credit_code", "phone"} <= set(refused.value.message_dict)
    with pytest.raises(ValidationError) as unnamed:
        make_donor(yuehai_manager, kind=DonorKind.PERSON, name="  ")
    assert "name" in unnamed.value.message_dict
    anonymous = make_donor(yuehai_manager, kind=DonorKind.ANONYMOUS, name="")
    assert str(anonymous)


def test_donor_personal_numbers_are_masked_in_the_audit_log_and_unmasked_audited(
    yuehai_manager, nanshan_auditor
):
    number = person_id(404)
    donor = make_donor(yuehai_manager, id_number=number, phone="13800138000")
    entry = AuditEntry.objects.filter(object_type="charity.donor", action="create").get()
    assert number not in str(entry.changes) and "13800138000" not in str(entry.changes)
    assert donor_unmask(actor=yuehai_manager, donor=donor, field="phone") == "13800138000"
    assert AuditEntry.objects.filter(object_type="charity.donor", action="view").count() == 1
    with pytest.raises(PermissionDenied):
        donor_unmask(actor=nanshan_auditor, donor=donor, field="id_number")
    updated = donor_update(actor=yuehai_manager, donor=donor, name="李大善人")
    assert updated.id_number == number


def test_a_worker_cannot_write_in_another_street(shekou_worker, yuehai_manager):
    fund = make_fund(yuehai_manager)
    with pytest.raises(ValidationError):
        give_money(shekou_worker, fund, "1.00")
    with pytest.raises(ValidationError) as refused:
        make_donor(shekou_worker, YUEHAI_VILLAGE)
    assert "region" in refused.value.message_dict


def test_every_write_is_audited(yuehai_manager):
    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "5.00")
    paid = spend(yuehai_manager, fund, "1.00")
    fund_entry_reverse(actor=yuehai_manager, entry=paid, reason="错")
    types = list(AuditEntry.objects.order_by("seq").values_list("object_type", "action"))
    assert types == [
        ("charity.communityfund", "create"),
        ("charity.donation", "create"),
        ("charity.fundentry", "create"),
        ("charity.fundentry", "create"),
        ("charity.fundentry", "create"),
    ]


def test_a_volunteer_account_cannot_write(db):
    volunteer = make_user("vol", YUEHAI_VILLAGE, Role.VOLUNTEER)
    with pytest.raises(PermissionDenied):
        make_donor(volunteer)


def test_an_organisation_donor_has_a_checked_credit_code(yuehai_manager, english):
    from wushe.organisations.credit_codes import make_credit_code

    code = make_credit_code("51440305MJ000001")
    mistyped = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(ValidationError) as refused:
        make_donor(yuehai_manager, kind=DonorKind.ORGANISATION, name="爱心会", credit_code=mistyped)
    assert refused.value.error_dict["credit_code"][0].code == "credit_check"
    donor = make_donor(
        yuehai_manager, kind=DonorKind.ORGANISATION, name="爱心会", credit_code=code.lower()
    )
    assert donor.credit_code == code
    with pytest.raises(ValidationError) as twice:
        make_donor(yuehai_manager, kind=DonorKind.ORGANISATION, name="同一家", credit_code=code)
    assert "爱心会" in twice.value.message_dict["credit_code"][0]
    elsewhere = make_donor(
        yuehai_manager, "440305007004", kind=DonorKind.ORGANISATION, name="爱心会", credit_code=code
    )
    assert elsewhere.pk != donor.pk  # one record per organisation and receiving region


def test_an_organisation_donor_may_be_the_registered_social_organisation(
    yuehai_manager, nanshan_admin, futian_admin
):
    from wushe.organisations.credit_codes import make_credit_code
    from wushe.organisations.models import Organisation

    code = make_credit_code("52440305MJ000002")
    organisation = Organisation.objects.create(
        name="科技园社工服务中心",
        credit_code=code,
        kind="social_work",
        region=region(YUEHAI),
        created_by=nanshan_admin,
    )
    donor = make_donor(
        yuehai_manager, kind=DonorKind.ORGANISATION, name="", organisation=organisation
    )
    assert (donor.name, donor.credit_code) == ("科技园社工服务中心", code)
    with pytest.raises(ValidationError) as person:
        make_donor(yuehai_manager, "440305007004", organisation=organisation)
    assert "organisation" in person.value.message_dict
    far = Organisation.objects.create(
        name="福田某机构",
        kind="social_work",
        region=region(FUTIAN_VILLAGE),
        created_by=futian_admin,
    )
    with pytest.raises(ValidationError) as hidden:
        make_donor(yuehai_manager, kind=DonorKind.ORGANISATION, name="x", organisation=far)
    assert "organisation" in hidden.value.message_dict
