"""The demo's charity resources: written once, through the services, with consistent books."""

from __future__ import annotations

import time

import pytest
from django.db.models import Sum

from conftest import NANSHAN
from wushe.charity.demo import DONATIONS, seed
from wushe.charity.models import CommunityFund, Donation, FundEntry, GoodsItem
from wushe.charity.selectors import fund_totals
from wushe.regions.codes import Level, subtree_range

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_once_with_balanced_books(nanshan_admin):
    started = time.monotonic()
    assert seed(actor=nanshan_admin, county=NANSHAN) == DONATIONS
    assert time.monotonic() - started < 10
    assert Donation.objects.count() == DONATIONS
    assert CommunityFund.objects.count() == 5
    for fund in CommunityFund.objects.all():
        entries = FundEntry.objects.filter(fund=fund)
        income = entries.filter(direction="in").aggregate(s=Sum("amount"))["s"] or 0
        spent = entries.filter(direction="out").aggregate(s=Sum("amount"))["s"] or 0
        assert fund.balance == (income - spent).quantize(fund.balance) >= 0
    assert GoodsItem.objects.filter(quantity__gt=0).exists()
    totals = fund_totals(subtree_range(NANSHAN, Level.COUNTY))
    assert totals["funds"] == 5 and totals["spending"] > 0
    assert totals["income"] - totals["spending"] == totals["balance"]
    assert seed(actor=nanshan_admin, county=NANSHAN) == 0
    assert Donation.objects.count() == DONATIONS


def test_fund_totals_by_region_codes_serve_the_indicators(nanshan_admin):
    seed(actor=nanshan_admin, county=NANSHAN)
    fund = CommunityFund.objects.order_by("region_id").first()
    township = fund.region_id[:9] + "000"
    found = fund_totals(region_codes=[NANSHAN, township, fund.region_id, "440304000000"])
    assert found["440304000000"]["funds"] == 0
    assert found[fund.region_id]["balance"] == fund.balance
    assert found[NANSHAN]["balance"] == sum(f.balance for f in CommunityFund.objects.all())
    under = CommunityFund.objects.filter(region__code__startswith=township[:9])
    assert found[township]["funds"] == under.count()
