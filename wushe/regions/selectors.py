"""Reading regions, sites and coverage, always from the user's visible subtree first."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from wushe.regions import codes
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site


def user_root(user) -> Region | None:
    """The top of what a user sees: the region the user belongs to."""
    return user.region if user.is_authenticated and user.region_id else None


def region_children(*, user, region: Region) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(parent_id=region.code).order_by("code")


def region_ancestors(*, user, region: Region) -> list[Region]:
    """The chain from the user's own region down to ``region``'s parent (never above it)."""
    wanted = codes.ancestor_codes(region.code, region.level)
    found = {r.code: r for r in Region.objects.visible_to(user).filter(code__in=wanted)}
    return [found[code] for code in wanted if code in found and code != region.code]


def region_search(*, user, query: str, limit: int | None = 50) -> QuerySet[Region]:
    """By name (contains) or by code (prefix, any of the 2/4/6/9/12-digit forms); ``limit=None``
    leaves the cut to the caller's pagination."""
    query = query.strip()
    visible = Region.objects.visible_to(user)
    if not query:
        return visible.none()
    if query.isascii() and query.isdigit():
        head = query[:12]
        return visible.filter(
            code__gte=head.ljust(12, "0"), code__lte=head.ljust(12, "9")
        ).order_by("level", "code")[:limit]
    return visible.filter(name__contains=query).order_by("level", "code")[:limit]


def site_list(*, user) -> QuerySet[Site]:
    return Site.objects.visible_to(user).select_related("region")


@dataclass
class Coverage:
    """社工站覆盖率: operating stations over townships, rooms over villages, for one node."""

    region: Region
    townships: int
    stations: int
    villages: int
    rooms: int
    centres: int = 0

    @property
    def station_rate(self) -> float | None:
        return round(100 * self.stations / self.townships, 1) if self.townships else None

    @property
    def room_rate(self) -> float | None:
        return round(100 * self.rooms / self.villages, 1) if self.villages else None


def _coverage(region: Region) -> Coverage:
    return Coverage(
        region=region,
        townships=region.township_count,
        villages=region.village_count,
        stations=region.operating_stations,
        rooms=region.operating_rooms,
        centres=region.operating_centres,
    )


def coverage_of(*, user, region: Region) -> Coverage:
    """Coverage of one node the user can see (the caller has fetched it through scoping).

    Both counts live on the region row (denominators from the loader, numerators from the site
    services, see ``counters.py``), and a subtree's counts hold nothing from outside it."""
    return _coverage(region)


def coverage_by_child(*, user, region: Region) -> list[Coverage]:
    """Coverage of each child of ``region``: one query, whatever the size of the subtree."""
    return [_coverage(child) for child in region_children(user=user, region=region)]


def site_counts(*, user) -> dict[str, int]:
    """Counts for the home page, from the same scoped queryset as the site list."""
    sites = Site.objects.visible_to(user)
    return sites.aggregate(
        total=Count("id"),
        operating=Count("id", filter=Q(status=SiteStatus.OPERATING)),
        stations=Count("id", filter=Q(kind=SiteKind.STATION)),
        rooms=Count("id", filter=Q(kind=SiteKind.ROOM)),
        centres=Count("id", filter=Q(kind=SiteKind.CENTRE)),
    )


def level_label(level: int) -> str:
    return str(Level(level).label)
