"""Real charity objects for the API fuzzing (wushe/core/tests/test_api_schema.py): one per
collection with ``{id}`` paths, in 粤海's 科技园社区."""

from __future__ import annotations

from wushe.accounts.models import User
from wushe.charity.tests.sample import give_goods, give_money, make_donor, make_fund, spend


def charity_examples(actor: User) -> dict[str, int]:
    fund = make_fund(actor)
    donor = make_donor(actor, name="示例捐赠人")
    donation = give_money(actor, fund, "500.00", donor=donor)
    spend(actor, fund, "100.00")
    goods = give_goods(actor)
    return {
        "donors": donor.pk,
        "donations": donation.pk,
        "community-funds": fund.pk,
        "goods": goods.goods_item_id,
    }
