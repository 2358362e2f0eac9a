"""Reading regions, sites and coverage, always from the user's visible subtree first."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

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


def region_search(*, user, query: str, limit: int = 50) -> QuerySet[Region]:
    """By name (contains) or by code (prefix, any of the 2/4/6/9/12-digit forms)."""
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


def _operating_counts(code_range: tuple[str, str], head_length: int) -> dict[tuple[str, str], int]:
    """{(code prefix, kind): operating sites} under a range, grouped by prefix (one query)."""
    rows = (
        Site.objects.within(code_range)
        .filter(status=SiteStatus.OPERATING)
        .annotate(head=Substr("region_id", 1, head_length))
        .values("head", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["head"], row["kind"]): row["n"] for row in rows}


def _coverage(region: Region, counts: dict, head: str) -> Coverage:
    return Coverage(
        region=region,
        townships=region.township_count,
        villages=region.village_count,
        stations=counts.get((head, SiteKind.STATION), 0),
        rooms=counts.get((head, SiteKind.ROOM), 0),
        centres=counts.get((head, SiteKind.CENTRE), 0),
    )


def coverage_of(*, user, region: Region) -> Coverage:
    """Coverage of one node the user can see (the caller has fetched it through scoping)."""
    head = codes.prefix(region.code, region.level)
    return _coverage(region, _operating_counts(region.subtree_range, len(head)), head)


def coverage_by_child(*, user, region: Region) -> list[Coverage]:
    """Coverage of each child of ``region``: two queries whatever the size of the subtree."""
    children = list(region_children(user=user, region=region))
    if not children:
        return []
    lengths = {len(codes.prefix(child.code, child.level)) for child in children}
    counts: dict = {}
    for length in lengths:
        counts.update(_operating_counts(region.subtree_range, length))
    return [_coverage(child, counts, codes.prefix(child.code, child.level)) for child in children]


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
