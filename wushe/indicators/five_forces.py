"""Record elements of the five-forces apps: social workers, volunteers, community funds.

- ``volunteers`` (注册志愿者, a stock: active volunteers whose home village is in the subtree,
  now) and ``volunteer_hours`` (志愿服务时长, a flow: the hours of their ledger entries dated
  in the period, corrections included, so a reversed entry counts nothing), read from the
  volunteers app's models, grouped by code prefix in one query each;
- ``social_workers`` and ``social_workers_certified`` (社会工作者, 持证: active workers of
  the subtree's sites now): ``wushe.workers.selectors.worker_counts(region_codes=[…])``;
- ``fund_balance`` (社区基金余额): now, ``wushe.charity.selectors.fund_totals`` (the funds'
  stored balances); at the end of an earlier month, the funds' ledger (``FundEntry``) summed up
  to that day — income in, spending out, each reversal the other way — which is what the stored
  balances are the sum of, so it needs no snapshot (registered with ``history``).

Volunteers and social workers hold the present only: past months read their month-end
snapshots, whose ``snapshot`` sources here count the same rows per the records' own region
(one query, rolled up the lineage). The selectors are called through ``elements.optional``,
so an installation without one of those apps has no value there ("无数据") rather than an
error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth

from wushe.core.sums import cents
from wushe.indicators.elements import (
    Unavailable,
    _as_date,
    grouped,
    last_day,
    optional,
    register_element,
    rolled_up,
    significant_prefix,
)
from wushe.indicators.periods import Period


def _pick(key: str):
    def adapt(selector, codes: list[str], period: Period) -> dict:
        found = selector(region_codes=codes)
        return {code: figures.get(key, 0) for code, figures in found.items()}

    return adapt


# Volunteers ------------------------------------------------------------------------------------


def _active_volunteers():
    from wushe.volunteers.choices import Status
    from wushe.volunteers.models import Volunteer

    return Volunteer.objects.filter(status=Status.ACTIVE)


def volunteers(codes: list[str], period: Period) -> dict:
    return grouped(_active_volunteers(), "region_id", codes, Count("id"))


def volunteers_now() -> dict:
    """Every region's active volunteers (the same rows as ``volunteers``)."""
    own = _active_volunteers().values_list("region_id").annotate(n=Count("id")).order_by()
    return rolled_up(own)


def volunteer_hours(codes: list[str], period: Period) -> dict:
    from wushe.volunteers.models import LedgerEntry

    dated = LedgerEntry.objects.filter(
        occurred_on__gte=period.start, occurred_on__lte=last_day(period.end)
    )
    return grouped(dated, "volunteer__region_id", codes, Sum("hours"))


# Social workers --------------------------------------------------------------------------------


def workers_now(certified: bool):
    """Every region's active social workers (or certified ones), counted as
    ``worker_counts`` counts them: serving (在岗), in the region of their site, certified at
    any level but none."""

    def rows() -> dict:
        try:
            from wushe.workers.choices import CertificateLevel, WorkerStatus
            from wushe.workers.models import SocialWorker
        except ImportError as error:
            raise Unavailable("wushe.workers") from error
        active = SocialWorker.objects.filter(status=WorkerStatus.ACTIVE)
        if certified:
            active = active.exclude(certificate_level=CertificateLevel.NONE)
        return rolled_up(active.values_list("region_code").annotate(n=Count("pk")).order_by())

    return rows


# Community funds -------------------------------------------------------------------------------


def _fund_entries():
    try:
        from wushe.charity.choices import Direction
        from wushe.charity.models import FundEntry
    except ImportError as error:
        raise Unavailable("wushe.charity") from error
    signed = Sum("amount", filter=Q(direction=Direction.IN), default=0) - Sum(
        "amount", filter=Q(direction=Direction.OUT), default=0
    )
    return FundEntry.objects.all(), signed


def fund_balance(codes: list[str], period: Period) -> dict:
    """The stored balances now; the ledger up to the end of an earlier period."""
    if period.is_current:
        return _stored_balance(codes, period)
    entries, signed = _fund_entries()
    dated = entries.filter(occurred_on__lte=last_day(period.end))
    found = grouped(dated, "region_code", codes, signed)
    return {code: cents(value) for code, value in found.items()}


_stored_balance = optional("wushe.charity.selectors", "fund_totals", _pick("balance"))


def fund_balance_by_month(codes: list[str], period: Period) -> dict[tuple[str, date], Decimal]:
    """The ledger's balance at each month's end, in one query per code: the entries up to the
    period's end summed by month, then added month after month."""
    entries, signed = _fund_entries()
    found: dict[tuple[str, date], Decimal] = {}
    for code in codes:
        head = significant_prefix(code)
        dated = entries.filter(occurred_on__lte=last_day(period.end))
        if head:
            dated = dated.filter(
                region_code__gte=head.ljust(12, "0"), region_code__lte=head.ljust(12, "9")
            )
        rows = (
            dated.annotate(month=TruncMonth("occurred_on"))
            .values_list("month")
            .annotate(n=signed)
            .order_by()
        )
        moved = {_as_date(month): cents(n) for month, n in rows}
        running = sum((n for month, n in moved.items() if month < period.start), Decimal("0.00"))
        for month in period.months:
            running += moved.get(month, 0)
            found[(code, month)] = running
    return found


def register() -> None:
    workers = "wushe.workers.selectors"
    register_element(
        "social_workers",
        optional(workers, "worker_counts", _pick("workers")),
        snapshot=workers_now(certified=False),
    )
    register_element(
        "social_workers_certified",
        optional(workers, "worker_counts", _pick("certified")),
        snapshot=workers_now(certified=True),
    )
    register_element("volunteers", volunteers, snapshot=volunteers_now)
    register_element("volunteer_hours", volunteer_hours)
    register_element("fund_balance", fund_balance, history=True, monthly=fund_balance_by_month)
