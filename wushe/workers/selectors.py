"""Reading social workers, always from the user's visible subtree first; and their counts.

Counts for the indicators and dashboards (one aggregate query each, over active workers —
status "serving" — only; a worker counts in the region of their site):

``worker_counts(code_range)`` — ``code_range`` is a ``subtree_range`` (low, high) — returns::

    {
        "total": n,          # active social workers in the range
        "workers": n,        # the same figure, under the name the indicators read
        "full_time": n,      # 专职
        "part_time": n,      # 兼职
        "certified": n,      # holding a certificate of any level (持证)
        "by_level": {"none": n, "assistant": n, "intermediate": n, "senior": n},
        "supervisors": n,    # 督导
    }

``worker_counts(region_codes=[...])`` (12-digit codes) returns ``{code: <the same dict>}``,
each for that region's whole subtree, from one query for all of them (the contract of
``indicators/five_forces.py``).

``worker_counts_by_child(region)`` returns ``{child_code: <the same dict>}`` for every child
region of ``region`` (zeros where none work), from one query grouped by region code.

None of them is scoped: they count what the caller asks for. A page or endpoint passes the
range or region of something the user can see (``user.scope_range``, a visible region).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wushe.regions.codes import CODE_LENGTH, lineage, prefix
from wushe.regions.models import Region, Site
from wushe.workers.choices import CertificateLevel, Employment, WorkerStatus
from wushe.workers.filtersets import SocialWorkerFilterSet
from wushe.workers.models import SocialWorker, Training

HOURS = DecimalField(max_digits=9, decimal_places=1)


def _training_hours() -> Coalesce:
    """Each worker's training hours as a sub-query (a join would repeat the worker's row)."""
    hours = (
        Training.objects.filter(worker=OuterRef("pk"))
        .order_by()
        .values("worker")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(hours, output_field=HOURS), Value(0, output_field=HOURS))


def worker_list(*, user, filters: Mapping | None = None) -> QuerySet[SocialWorker]:
    """Social workers the user can see, with their site and ``training_hours``. ``filters``
    are the list's filters (``SocialWorkerFilterSet``); bad ones raise a ValidationError."""
    workers = (
        SocialWorker.objects.visible_to(user)
        .select_related("site", "site__region", "user")
        .annotate(training_hours=_training_hours())
    )
    if not filters:
        return workers
    # The site filter offers the user's sites: it reads the user from the request.
    filterset = SocialWorkerFilterSet(filters, queryset=workers, request=SimpleNamespace(user=user))
    if not filterset.is_valid():
        found = filterset.errors.get_json_data()
        raise ValidationError(
            {name: [e["message"] for e in errors] for name, errors in found.items()}
        )
    return filterset.qs


def worker_trainings(*, user, worker: SocialWorker) -> QuerySet[Training]:
    return Training.objects.visible_to(user).filter(worker=worker).order_by("-held_on", "-id")


def worker_sites(*, user) -> QuerySet[Site]:
    """Sites the user can see, where social workers work."""
    return (
        Site.objects.visible_to(user).select_related("region").order_by("region_id", "kind", "name")
    )


# Counts -----------------------------------------------------------------------------------------


def _empty() -> dict:
    return {
        "total": 0,
        "workers": 0,
        "full_time": 0,
        "part_time": 0,
        "certified": 0,
        "by_level": {level: 0 for level in CertificateLevel.values},
        "supervisors": 0,
    }


def _rows(ranges: Iterable[tuple[str, str]]):
    """(region_code, level, full-time, part-time, supervisors, n) of active workers in any of
    the ranges: one aggregate query, grouped by region code and certificate level."""
    in_any = Q()
    for low, high in ranges:
        in_any |= Q(region_code__gte=low, region_code__lte=high)
    return (
        SocialWorker.objects.filter(in_any, status=WorkerStatus.ACTIVE)
        .order_by()
        .values("region_code", "certificate_level")
        .annotate(
            n=Count("pk"),
            full_time=Count("pk", filter=Q(employment=Employment.FULL_TIME)),
            supervisors=Count("pk", filter=Q(is_supervisor=True)),
        )
        .values_list("region_code", "certificate_level", "n", "full_time", "supervisors")
    )


def _add(figures: dict, level: str, n: int, full_time: int, supervisors: int) -> None:
    figures["total"] += n
    figures["workers"] += n
    figures["full_time"] += full_time
    figures["part_time"] += n - full_time
    figures["supervisors"] += supervisors
    figures["by_level"][level] = figures["by_level"].get(level, 0) + n
    if level != CertificateLevel.NONE:
        figures["certified"] += n


def _subtree_of(code: str) -> tuple[str, str]:
    """The range under a 12-digit code, from the code alone (its shortest prefix followed only
    by zeros, as ``lineage`` names the node)."""
    head = next(code[:n] for n in (0, 2, 4, 6, 9, 12) if not code[n:].strip("0"))
    return head.ljust(CODE_LENGTH, "0"), head.ljust(CODE_LENGTH, "9")


def worker_counts(
    code_range: tuple[str, str] | None = None, *, region_codes: Iterable[str] | None = None
) -> dict:
    """Active social workers by employment, certificate and supervision (see the module)."""
    if region_codes is None:
        if code_range is None:
            raise TypeError("worker_counts() needs a code_range or region_codes")
        totals = _empty()
        for _code, *figures in _rows([code_range]):
            _add(totals, *figures)
        return totals
    asked = {code: _subtree_of(code) for code in region_codes}
    found = {code: _empty() for code in asked}
    if not asked:
        return found
    for code, *figures in _rows(asked.values()):
        for node in lineage(code):
            if node in found:
                _add(found[node], *figures)
    return found


def worker_counts_by_child(region: Region) -> dict[str, dict]:
    """``worker_counts`` for each child region of ``region``, by the child's code."""
    children = list(
        Region.objects.filter(parent=region).order_by("code").values_list("code", "level")
    )
    found = {code: _empty() for code, _level in children}
    if not children:
        return found
    prefix_of = {prefix(code, level): code for code, level in children}
    lengths = sorted({len(head) for head in prefix_of}, reverse=True)
    for code, *figures in _rows([region.subtree_range]):
        for length in lengths:
            child = prefix_of.get(code[:length])
            if child is not None:
                _add(found[child], *figures)
                break
    return found
