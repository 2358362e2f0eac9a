"""The resources list (资源清单) of a subtree or a station: volunteers' standing offers (skills,
tasks a week, radius, their week's load), organisations' offers, and charity resources (the
community funds' balances and the goods in stock; listing only). Every part starts from the
user's visible subtree."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from wushe.matching.selectors import offer_list
from wushe.matching.supply import matchable_volunteers, volunteer_loads
from wushe.regions.models import Site

SHOWN = 200  # rows of each part on the page; the API pages through the rest


def _within(queryset: QuerySet, station: Site | None) -> QuerySet:
    return queryset if station is None else queryset.within(station.region.subtree_range)


def volunteer_offers(*, user, station: Site | None = None, today: date | None = None) -> list:
    """Active volunteers with their skills and ``load`` (tasks this week)."""
    volunteers = list(
        _within(matchable_volunteers(user=user), station).prefetch_related("skills")[:SHOWN]
    )
    loads = volunteer_loads((v.pk for v in volunteers), today or timezone.localdate())
    for volunteer in volunteers:
        volunteer.load = loads.get(volunteer.pk, 0)
    return volunteers


def charity_resources(*, user, station: Site | None = None) -> dict:
    from wushe.charity.selectors import fund_list, goods_stock

    return {
        "funds": list(_within(fund_list(user=user), station)[:SHOWN]),
        "goods": list(_within(goods_stock(user=user), station)[:SHOWN]),
    }


def resources_of(*, user, station: Site | None = None) -> dict:
    offers = offer_list(user=user)
    if station is not None:
        offers = offers.filter(station=station)
    return {
        "volunteers": volunteer_offers(user=user, station=station),
        "offers": list(offers[:SHOWN]),
        **charity_resources(user=user, station=station),
    }
