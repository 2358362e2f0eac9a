"""Sample donors, funds, donations and stock for the charity tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from conftest import FUTIAN_VILLAGE, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.accounts.models import User
from wushe.charity.choices import DonationKind, DonorKind
from wushe.charity.fund_services import fund_disburse, fund_open
from wushe.charity.models import CommunityFund, Donation, Donor
from wushe.charity.services import donation_receive, donor_register
from wushe.people.identity import make_id_number
from wushe.regions.models import Region

SHEKOU_VILLAGE = "440305005001"  # 东角头社区


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def person_id(sequence: int, born: date = date(1970, 5, 1)) -> str:
    return make_id_number("440305", born, sequence)


def make_donor(actor: User, code: str = YUEHAI_VILLAGE, **fields) -> Donor:
    values = {"kind": DonorKind.PERSON, "name": "李善人", "region": region(code)}
    return donor_register(actor=actor, **{**values, **fields})


def make_fund(
    actor: User, code: str = YUEHAI_VILLAGE, name: str = "科技园社区基金"
) -> CommunityFund:
    return fund_open(actor=actor, name=name, region=region(code), opened_on=days_ago(30))


def give_money(actor: User, fund: CommunityFund, amount: str, **fields) -> Donation:
    values = {"received_on": days_ago(10)}
    return donation_receive(
        actor=actor,
        kind=DonationKind.MONEY,
        fund=fund,
        amount=Decimal(amount),
        **{**values, **fields},
    )


def give_goods(
    actor: User,
    code: str = YUEHAI_VILLAGE,
    item: str = "大米",
    quantity: str = "10",
    unit: str = "袋",
) -> Donation:
    return donation_receive(
        actor=actor,
        kind=DonationKind.GOODS,
        region=region(code),
        received_on=days_ago(5),
        item_name=item,
        quantity=Decimal(quantity),
        unit=unit,
    )


def spend(actor: User, fund: CommunityFund, amount: str, purpose: str = "困难家庭慰问金", **fields):
    return fund_disburse(actor=actor, fund=fund, amount=Decimal(amount), purpose=purpose, **fields)


def scope_world(admin: User) -> dict:
    """A fund, a donor, a donation and an item of stock in each of 粤海, 蛇口 and 福田, made by
    an administrator of the whole city (``admin``)."""
    world: dict[str, list] = {
        "funds": [],
        "donors": [],
        "donations": [],
        "items": [],
        "entries": [],
    }
    for index, code in enumerate((YUEHAI_VILLAGE, SHEKOU_VILLAGE, FUTIAN_VILLAGE)):
        fund = make_fund(admin, code, name=f"基金{index}")
        donor = make_donor(admin, code, name=f"捐赠人{index}", id_number=person_id(300 + index))
        donation = give_money(admin, fund, "100.00", donor=donor)
        goods = give_goods(admin, code, item=f"物资{index}")
        entry = spend(admin, fund, "10.00")
        world["funds"].append(fund)
        world["donors"].append(donor)
        world["donations"].append(donation)
        world["items"].append(goods.goods_item)
        world["entries"].append(entry)
    return world


__all__ = ["SHEKOU", "YUEHAI"]
