"""Record elements of the five-forces apps: social workers, volunteers, community funds.

- ``volunteers`` (注册志愿者, a stock: active volunteers whose home village is in the subtree,
  now) and ``volunteer_hours`` (志愿服务时长, a flow: the hours of their ledger entries dated
  in the period, corrections included, so a reversed entry counts nothing), read from the
  volunteers app's models, grouped by code prefix in one query each;
- ``fund_balance`` (社区基金余额, now): ``wushe.charity.selectors.fund_totals``;
- ``social_workers`` and ``social_workers_certified`` (社会工作者, 持证: active workers of
  the subtree's sites now): ``wushe.workers.selectors.worker_counts(region_codes=[…])``.

The two selectors are called through ``elements.optional``, so an installation without one
of those apps has no value there ("无数据") rather than an error.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from wushe.indicators.elements import grouped, optional, register_element
from wushe.indicators.periods import Period


def _pick(key: str):
    def adapt(selector, codes: list[str], period: Period) -> dict:
        found = selector(region_codes=codes)
        return {code: figures.get(key, 0) for code, figures in found.items()}

    return adapt


def volunteers(codes: list[str], period: Period) -> dict:
    from wushe.volunteers.choices import Status
    from wushe.volunteers.models import Volunteer

    active = Volunteer.objects.filter(status=Status.ACTIVE)
    return grouped(active, "region_id", codes, Count("id"))


def volunteer_hours(codes: list[str], period: Period) -> dict:
    from wushe.indicators.elements import last_day
    from wushe.volunteers.models import LedgerEntry

    dated = LedgerEntry.objects.filter(
        occurred_on__gte=period.start, occurred_on__lte=last_day(period.end)
    )
    return grouped(dated, "volunteer__region_id", codes, Sum("hours"))


def register() -> None:
    workers = "wushe.workers.selectors"
    register_element("social_workers", optional(workers, "worker_counts", _pick("workers")))
    register_element(
        "social_workers_certified", optional(workers, "worker_counts", _pick("certified"))
    )
    register_element("volunteers", volunteers)
    register_element("volunteer_hours", volunteer_hours)
    register_element(
        "fund_balance", optional("wushe.charity.selectors", "fund_totals", _pick("balance"))
    )
