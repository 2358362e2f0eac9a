"""Demo charity resources for ``wushe demo``: a community fund in a few communities of the
county, donors, about 200 donations of money and goods, some disbursements and hand-outs — all
through the services, so the ledgers, balances and audit log are as real as the rest.

Idempotent: nothing is added when the county already has a community fund. Random choices
come from a seeded generator: every run on an empty database writes the same.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import User
from wushe.charity.choices import DonationKind, DonorKind
from wushe.charity.fund_services import fund_disburse, fund_open
from wushe.charity.goods_services import goods_distribute
from wushe.charity.models import CommunityFund, Donor, GoodsItem
from wushe.charity.services import donation_receive, donor_register
from wushe.organisations.credit_codes import make_credit_code
from wushe.people.identity import make_id_number
from wushe.people.services import id_hash_of
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region

SEED = 20260517
FUNDS = 5
DONATIONS = 200
PEOPLE = ["王建华", "李秀英", "张伟", "刘芳", "陈静", "杨洋", "赵磊", "黄敏", "周杰", "吴娜"]
ORGANISATIONS = ["南山爱心企业联合会", "科技园商户协会", "蛇口义工联", "招商社区慈善会"]
GOODS = [("大米", "袋"), ("食用油", "桶"), ("棉被", "床"), ("口罩", "箱"), ("图书", "本")]
PURPOSES = ["困难家庭慰问金", "独居老人助餐", "助学金", "重病救助", "社区微项目"]


def _day(rng: random.Random, today: date, days: int) -> date:
    return today - timedelta(days=rng.randrange(1, days))


def _donors(actor: User, rng: random.Random, villages: list[Region]) -> list[Donor]:
    donors = []
    for index, name in enumerate(PEOPLE):
        number = make_id_number("440305", date(1960 + index * 3, 1 + index, 10), 600 + index)
        existing = Donor.objects.filter(id_hash=id_hash_of(number)).first()
        donors.append(
            existing
            or donor_register(
                actor=actor,
                kind=DonorKind.PERSON,
                name=name,
                id_number=number,
                phone=f"1380013{rng.randrange(1000, 9999)}",
                region=villages[index % len(villages)],
            )
        )
    for index, name in enumerate(ORGANISATIONS):
        # 5 民政, 1 社会团体, registered in 南山区, an 8-character organisation code body.
        code = make_credit_code(f"51440305MJ{index:06d}")
        donors.append(
            donor_register(
                actor=actor,
                kind=DonorKind.ORGANISATION,
                name=name,
                credit_code=code,
                region=villages[index % len(villages)],
            )
        )
    return donors


def seed(*, actor: User, county: Region | str) -> int:
    """The county's demo charity resources, once; the number of donations written."""
    if not isinstance(county, Region):
        county = Region.objects.get(code=normalize_code(county))
    if CommunityFund.objects.within(county.subtree_range).exists():
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    villages = list(
        Region.objects.within(county.subtree_range).filter(level=Level.VILLAGE).order_by("code")
    )
    villages = sorted(rng.sample(villages, min(FUNDS, len(villages))), key=lambda r: r.code)
    with transaction.atomic():
        funds = [
            fund_open(
                actor=actor,
                name=f"{village.name}社区基金",
                region=village,
                opened_on=today - timedelta(days=400),
            )
            for village in villages
        ]
        donors = _donors(actor, rng, villages)
        for _ in range(DONATIONS):
            index = rng.randrange(len(funds))
            donor = rng.choice([*donors, None])
            if rng.random() < 0.7:
                donation_receive(
                    actor=actor,
                    kind=DonationKind.MONEY,
                    donor=donor,
                    fund=funds[index],
                    amount=Decimal(rng.choice([50, 100, 200, 500, 1000, 2000])),
                    received_on=_day(rng, today, 365),
                )
            else:
                item, unit = rng.choice(GOODS)
                donation_receive(
                    actor=actor,
                    kind=DonationKind.GOODS,
                    donor=donor,
                    region=villages[index],
                    item_name=item,
                    unit=unit,
                    quantity=Decimal(rng.randrange(5, 60)),
                    estimated_value=Decimal(rng.randrange(100, 3000)),
                    received_on=_day(rng, today, 365),
                )
        for fund in funds:
            for _ in range(8):
                fund.refresh_from_db(fields=["balance"])
                amount = (fund.balance * Decimal("0.2")).quantize(Decimal("1"))
                if amount >= 1:
                    fund_disburse(
                        actor=actor,
                        fund=fund,
                        amount=amount,
                        purpose=rng.choice(PURPOSES),
                        recipient="社区困难家庭",
                        occurred_on=_day(rng, today, 60),
                    )
        for item in GoodsItem.objects.within(county.subtree_range).order_by("pk"):
            half = (item.quantity / 2).quantize(Decimal("1"))
            if half >= 1:
                goods_distribute(actor=actor, item=item, quantity=half, recipient="社区困难家庭")
    return DONATIONS
