"""Reading charity resources, always from the user's visible subtree first — except
:func:`fund_totals`, which takes the code range or codes its caller has already scoped (the
indicators and dashboards ask for a region the user can see)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from wushe.charity.choices import DECIMAL_PLACES, Direction
from wushe.charity.models import CommunityFund, Donation, Donor, FundEntry, GoodsItem, GoodsMovement
from wushe.core.sums import cents
from wushe.regions.codes import CODE_LENGTH, lineage

ZERO = Decimal("0.00")
# Money columns summed over many rows: wider than one row's column.
_SUM_FIELD = DecimalField(max_digits=24, decimal_places=DECIMAL_PLACES)


def donor_list(*, user) -> QuerySet[Donor]:
    """Donors with the number of their donations the user can see (a sub-query per row: a
    join would group the list and lose its order)."""
    counted = (
        Donation.objects.visible_to(user)
        .filter(donor=OuterRef("pk"))
        .order_by()
        .values("donor")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Donor.objects.visible_to(user)
        .select_related("region")
        .annotate(donation_count=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .order_by("region_id", "name", "id")
    )


def donation_list(*, user) -> QuerySet[Donation]:
    return Donation.objects.visible_to(user).select_related("donor", "region", "fund")


def fund_list(*, user) -> QuerySet[CommunityFund]:
    """Funds with their stored balance (the sum of their ledger)."""
    return CommunityFund.objects.visible_to(user).select_related("region")


def fund_ledger(*, user, fund: CommunityFund) -> QuerySet[FundEntry]:
    """A fund's entries, newest first, each with the balance after it (the running balance)."""
    return (
        FundEntry.objects.visible_to(user)
        .filter(fund=fund)
        .select_related("created_by", "resident", "donation", "reverses", "reversed_by")
        .order_by("-id")
    )


def goods_stock(*, user) -> QuerySet[GoodsItem]:
    return GoodsItem.objects.visible_to(user).select_related("region")


def goods_movements(*, user, item: GoodsItem) -> QuerySet[GoodsMovement]:
    return (
        GoodsMovement.objects.visible_to(user)
        .filter(item=item)
        .select_related("created_by", "resident", "donation", "reverses", "reversed_by")
        .order_by("-id")
    )


def _money(expression) -> Coalesce:
    return Coalesce(expression, Value(ZERO), output_field=_SUM_FIELD)


# Income is money received less income reversed; spending is money paid out less payments
# reversed. A reversal is an entry of the other direction pointing at the one it undoes, so
# income - spending = the sum of all entries = the funds' balance.
_INCOME = Sum(
    "amount", filter=Q(direction=Direction.IN, reverses__isnull=True), default=ZERO
) - Sum("amount", filter=Q(direction=Direction.OUT, reverses__isnull=False), default=ZERO)
_SPENDING = Sum(
    "amount", filter=Q(direction=Direction.OUT, reverses__isnull=True), default=ZERO
) - Sum("amount", filter=Q(direction=Direction.IN, reverses__isnull=False), default=ZERO)


def _entry_figures(entries: QuerySet[FundEntry]):
    return entries.annotate(income=_money(_INCOME), spending=_money(_SPENDING))


def _empty() -> dict:
    return {"funds": 0, "balance": ZERO, "income": ZERO, "spending": ZERO}


def fund_totals(
    code_range: tuple[str, str] | None = None,
    *,
    region_codes: Iterable[str] | None = None,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    """社区基金 figures for the indicators and dashboards, in two aggregate queries.

    With ``code_range`` (a ``subtree_range``): ``{"funds", "balance", "income", "spending"}``
    for the funds of regions in the range. With ``region_codes`` (12-digit codes): one such
    dict per code, ``{code: {...}}``, each for that region's whole subtree.

    - ``funds``: community funds opened (on or before ``end``, when given), open or closed;
    - ``balance``: what they hold now — the sum of their stored balances (Decimal, yuan);
    - ``income``: donations into them with ``occurred_on`` in ``start..end`` (either bound
      optional), less income reversed in that period;
    - ``spending``: disbursements in the period, less disbursements reversed in it.

    Over all time, ``income - spending == balance``.
    """
    if region_codes is None:
        low, high = code_range
        return _totals_by_code({low: (low, high)}, start, end)[low]
    asked = {code: _subtree_of(code) for code in region_codes}
    return _totals_by_code(asked, start, end)


def _subtree_of(code: str) -> tuple[str, str]:
    """The range under a 12-digit code, from the code alone: its shortest prefix (12, 9, 6, 4,
    2 or 0 digits) followed only by zeros, as ``lineage`` reads it."""
    head = next(code[:n] for n in (0, 2, 4, 6, 9, 12) if not code[n:].strip("0"))
    return head.ljust(CODE_LENGTH, "0"), head.ljust(CODE_LENGTH, "9")


def _totals_by_code(asked: dict[str, tuple[str, str]], start, end) -> dict[str, dict]:
    """Figures per asked code (the first of its range, as ``lineage`` names the node)."""
    totals = {code: _empty() for code in asked}
    if not asked:
        return totals
    in_any = Q()
    for low, high in asked.values():
        in_any |= Q(region_code__gte=low, region_code__lte=high)
    funds = CommunityFund.objects.filter(
        Q(*(Q(region__gte=low, region__lte=high) for low, high in asked.values()), _connector=Q.OR)
    )
    entries = FundEntry.objects.filter(in_any)
    if start is not None:
        entries = entries.filter(occurred_on__gte=start)
    if end is not None:
        funds = funds.filter(opened_on__lte=end)
        entries = entries.filter(occurred_on__lte=end)
    fund_rows = (
        funds.order_by()
        .values("region_id")
        .annotate(n=Count("pk"), held=_money(Sum("balance")))
        .values_list("region_id", "n", "held")
    )
    entry_rows = _entry_figures(entries.order_by().values("region_code")).values_list(
        "region_code", "income", "spending"
    )
    for code, count, held in fund_rows:
        for target in _targets(code, asked):
            totals[target]["funds"] += count
            totals[target]["balance"] += cents(held)
    for code, income, spending in entry_rows:
        for target in _targets(code, asked):
            totals[target]["income"] += cents(income)
            totals[target]["spending"] += cents(spending)
    return totals


def _targets(code: str, asked: dict[str, tuple[str, str]]) -> list[str]:
    return [node for node in lineage(code) if node in asked]
