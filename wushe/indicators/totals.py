"""Entered figures rolled up the region tree (``EnteredTotal``), and reading them.

A region's figure for an entered element and year is its own entry if it has one, else the
sum of its children's figures; a subtree where nothing was entered has none ("no data"). So a
province may enter its published total and its counties theirs, and the province's figure is
the one it published, not the sum of whichever counties have entered so far.

The entry services rebuild the totals of each (element, year) they change, in their own
transaction, from that pair's entries (``rebuild``): the cost grows with the entries of one
element and year (a few thousand counties, at most the 600,000 villages in about two seconds),
not with the records. ``recompute`` rebuilds everything and ``check`` lists every total that
the entries contradict; the tests hold the two equal after any sequence of changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import transaction

from wushe.indicators.models import DataElement, EnteredTotal, EnteredValue
from wushe.regions import codes

BATCH = 5000


def effective(own: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Every node's figure from the entries ``own`` (region code → value): the node's own
    entry, else the sum of its children's figures, for every node above an entry."""
    parents: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    for code in own:
        chain = codes.lineage(code)
        for index, node in enumerate(chain):
            if node in parents:
                break
            parents[node] = chain[index + 1] if index + 1 < len(chain) else None
            depth[node] = len(chain) - index
    below: dict[str, Decimal] = defaultdict(Decimal)
    found: dict[str, Decimal] = {}
    for node in sorted(parents, key=depth.__getitem__, reverse=True):  # leaves first
        found[node] = own[node] if node in own else below[node]
        parent = parents[node]
        if parent is not None:
            below[parent] += found[node]
    return found


def rebuild(element_code: str, years: Iterable[int]) -> None:
    """Replace the totals of ``element_code`` for ``years`` from their entries. Call in the
    transaction of the change, after locking the element (``lock``)."""
    for year in sorted(set(years)):
        own = dict(
            EnteredValue.objects.filter(element_id=element_code, year=year).values_list(
                "region_id", "value"
            )
        )
        EnteredTotal.objects.filter(element_id=element_code, year=year).delete()
        rows = [
            EnteredTotal(region_code=node, element_id=element_code, year=year, value=value)
            for node, value in sorted(effective(own).items())
        ]
        EnteredTotal.objects.bulk_create(rows, batch_size=BATCH)


def lock(element_codes: Iterable[str]) -> None:
    """Serialise the writers of these elements' entries until the end of the transaction: two
    rebuilds of one element at once would each miss the other's uncommitted entries."""
    wanted = sorted(set(element_codes))  # one order: no deadlock between two writers
    list(DataElement.objects.select_for_update().filter(code__in=wanted).values_list("code"))


@transaction.atomic
def recompute() -> None:
    """Rebuild every total from the entries (after a bulk load, or to repair)."""
    pairs = set(EnteredValue.objects.values_list("element_id", "year").distinct())
    lock(element for element, _year in pairs)
    EnteredTotal.objects.all().delete()
    for element, year in sorted(pairs):
        rebuild(element, [year])


def check() -> list[tuple[str, str, int, Decimal | None, Decimal | None]]:
    """Every (element, region, year, stored, expected) where a total and the entries disagree."""
    stored: dict[tuple[str, str, int], Decimal] = {
        (element, region, year): value
        for element, region, year, value in EnteredTotal.objects.values_list(
            "element_id", "region_code", "year", "value"
        )
    }
    entries: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(dict)
    for element, region, year, value in EnteredValue.objects.values_list(
        "element_id", "region_id", "year", "value"
    ):
        entries[(element, year)][region] = value
    expected = {
        (element, node, year): value
        for (element, year), own in entries.items()
        for node, value in effective(own).items()
    }
    return sorted(
        (key[0], key[1], key[2], stored.get(key), expected.get(key))
        for key in stored.keys() | expected.keys()
        if stored.get(key) != expected.get(key)
    )


def read(element_code: str, region_codes: list[str], year: int) -> dict[str, Decimal]:
    """Each region's figure of the latest year up to ``year`` that has one (a 2026 dashboard
    reads 2025's population until 2026's is entered); regions without any are left out."""
    return read_many([element_code], region_codes, year).get(element_code, {})


def read_many(
    element_codes: list[str], region_codes: list[str], year: int
) -> dict[str, dict[str, Decimal]]:
    """``read`` of several elements in one query: element code → region code → figure."""
    rows = (
        EnteredTotal.objects.filter(
            element_id__in=element_codes, region_code__in=region_codes, year__lte=year
        )
        .order_by("element_id", "region_code", "-year")
        .values_list("element_id", "region_code", "value")
    )
    found: dict[str, dict[str, Decimal]] = {}
    for element, code, value in rows:
        found.setdefault(element, {}).setdefault(code, value)
    return found
