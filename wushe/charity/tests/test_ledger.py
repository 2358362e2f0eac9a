"""The ledgers' invariants: a fund's stored balance always equals income less spending and
never goes below zero, whatever sequence of income, spending (some above the balance) and
reversals arrives; the stock likewise. Concurrent disbursements are serialised by the fund's
row lock (PostgreSQL)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role
from wushe.charity.choices import Direction
from wushe.charity.fund_services import fund_entry_reverse
from wushe.charity.goods_services import goods_distribute
from wushe.charity.models import CommunityFund, FundEntry, GoodsItem, GoodsMovement
from wushe.charity.selectors import fund_totals
from wushe.charity.tests.sample import give_goods, give_money, make_fund, spend
from wushe.regions import loader
from wushe.regions.codes import Level, subtree_range

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
steps = st.lists(
    st.tuples(st.sampled_from(["in", "out", "reverse"]), amounts, st.integers(0, 50)),
    max_size=25,
)


def _sum(entries, direction: str, field: str = "amount") -> Decimal:
    # SQLite sums decimals as floats: to the cent, as the columns hold them.
    total = entries.filter(direction=direction).aggregate(s=Sum(field))["s"] or Decimal(0)
    return total.quantize(Decimal("0.01"))


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_the_balance_is_always_income_less_spending_and_never_negative(yuehai_manager, steps):
    fund = make_fund(yuehai_manager, name=f"基金{CommunityFund.objects.count()}")
    expected = Decimal("0")
    for kind, amount, pick in steps:
        written = FundEntry.objects.filter(fund=fund).count()
        try:
            if kind == "in":
                give_money(yuehai_manager, fund, str(amount))
                expected += amount
            elif kind == "out":
                spend(yuehai_manager, fund, str(amount))
                expected -= amount
            else:
                paid = FundEntry.objects.filter(fund=fund, direction=Direction.OUT)
                target = paid.order_by("id")[pick % paid.count()] if paid.exists() else None
                if target is None:
                    continue
                fund_entry_reverse(actor=yuehai_manager, entry=target, reason="冲正")
                expected += target.amount
        except ValidationError:
            # Refused (above the balance, reversed twice…): nothing was written.
            assert FundEntry.objects.filter(fund=fund).count() == written
        fund.refresh_from_db()
        entries = FundEntry.objects.filter(fund=fund)
        assert fund.balance == expected >= 0
        assert fund.balance == _sum(entries, "in") - _sum(entries, "out")
        last = entries.order_by("-id").first()
        assert last is None or last.balance_after == fund.balance
    totals = fund_totals(subtree_range(YUEHAI_VILLAGE, Level.VILLAGE))
    mine = FundEntry.objects.filter(fund__region_id=YUEHAI_VILLAGE)
    assert totals["balance"] == _sum(mine, "in") - _sum(mine, "out")
    assert totals["income"] - totals["spending"] == totals["balance"]


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.tuples(st.booleans(), amounts), max_size=20))
def test_the_stock_is_always_in_less_out_and_never_negative(shekou_worker, steps):
    item = None
    for incoming, quantity in steps:
        try:
            if incoming or item is None:
                item = give_goods(
                    shekou_worker, "440305005001", "被子", str(quantity), "床"
                ).goods_item
            else:
                goods_distribute(actor=shekou_worker, item=item, quantity=quantity, recipient="王")
        except ValidationError:
            pass
        item.refresh_from_db()
        moves = GoodsMovement.objects.filter(item=item)
        assert item.quantity >= 0
        assert item.quantity == _sum(moves, "in", "quantity") - _sum(moves, "out", "quantity")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections")
@pytest.mark.django_db(transaction=True)
def test_two_disbursements_at_once_cannot_both_spend_the_same_money():
    loader.load(loader.read_rows("440305"))
    manager = make_user("yuehai_manager", "440305007000", Role.MANAGER)
    fund = make_fund(manager)
    give_money(manager, fund, "100.00")
    barrier = threading.Barrier(2)
    results: list[str] = []

    def disburse() -> None:
        try:
            barrier.wait()
            spend(manager, CommunityFund.objects.get(pk=fund.pk), "70.00")
            results.append("paid")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=disburse) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fund.refresh_from_db()
    assert sorted(results) == ["paid", "refused"]
    assert fund.balance == Decimal("30.00")
    assert FundEntry.objects.filter(fund=fund, direction=Direction.OUT).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
@pytest.mark.django_db
def test_the_database_itself_refuses_to_change_a_ledger_entry(yuehai_manager):
    from django.db import DatabaseError, transaction

    fund = make_fund(yuehai_manager)
    give_money(yuehai_manager, fund, "10.00")
    give_goods(yuehai_manager)
    for table in ("charity_fundentry", "charity_goodsmovement"):
        for sql in (f"UPDATE {table} SET note = 'x'", f"DELETE FROM {table}"):
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql)
    assert FundEntry.objects.get().note == "" and GoodsItem.objects.get().quantity == 10
