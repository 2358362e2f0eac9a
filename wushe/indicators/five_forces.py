"""Record elements of the five-forces apps (social workers, volunteers, charity funds).

Those apps are built alongside this one, so each element calls the app's selector through
``elements.optional``: while the selector does not exist the element has no value ("无数据"),
and once it lands the element reads it with no change here. The contract each selector is
called with (one aggregate query for many regions, each region's figure for its whole
subtree, by code):

- ``wushe.workers.selectors.worker_counts(region_codes=[…]) -> {code: {"workers": n,
  "certified": n}}``: social workers (社会工作者) serving in the subtree now, and those holding
  a certificate (持证);
- ``wushe.volunteers.selectors.volunteer_counts(region_codes=[…], month_from=date,
  month_to=date) -> {code: {"volunteers": n, "hours": h}}``: registered volunteers now, and
  service hours confirmed in the months;
- ``wushe.charity.selectors.fund_totals(region_codes=[…]) -> {code: {"balance": amount}}``:
  community funds' balance now.
"""

from __future__ import annotations

from collections.abc import Callable

from wushe.indicators.elements import optional, register_element
from wushe.indicators.periods import Period


def _pick(key: str, **extra: Callable[[Period], object]):
    def adapt(selector, codes: list[str], period: Period) -> dict:
        asked = {name: make(period) for name, make in extra.items()}
        found = selector(region_codes=codes, **asked)
        return {code: figures.get(key, 0) for code, figures in found.items()}

    return adapt


MONTHS = {"month_from": lambda period: period.start, "month_to": lambda period: period.end}


def register() -> None:
    workers = "wushe.workers.selectors"
    register_element("social_workers", optional(workers, "worker_counts", _pick("workers")))
    register_element(
        "social_workers_certified", optional(workers, "worker_counts", _pick("certified"))
    )
    volunteers = "wushe.volunteers.selectors"
    register_element(
        "volunteers", optional(volunteers, "volunteer_counts", _pick("volunteers", **MONTHS))
    )
    register_element(
        "volunteer_hours", optional(volunteers, "volunteer_counts", _pick("hours", **MONTHS))
    )
    register_element(
        "fund_balance", optional("wushe.charity.selectors", "fund_totals", _pick("balance"))
    )
