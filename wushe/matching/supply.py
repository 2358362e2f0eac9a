"""From the tables to the solver's columns: needs and suppliers of a run, their weekly windows,
skill masks, positions and loads.

The week matched is the seven days from the run's ``today``. A need takes part when it is open
and its dates touch those seven days; its weekly window is narrowed to the weekdays that fall
inside its dates (a window of "any time" over the whole week stays 0). A supplier's load is the
tasks it holds now (offered or accepted) plus those done in the last seven days; it may take
``capacity - load`` more. Skills are bits (``Skill.bit``); a need requires all of its skills.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from wushe.matching import solver
from wushe.matching.choices import OPEN_TASKS, ProposalStatus, TaskStatus
from wushe.matching.geo import Point, PointBook
from wushe.matching.models import Need, OrganisationOffer, Proposal, Task
from wushe.volunteers.choices import Status
from wushe.volunteers.models import Volunteer

WEEK = 7
DAY_BITS = 0b111  # the three parts of one day


def matchable_volunteers(*, user) -> QuerySet[Volunteer]:
    """Active volunteers in the user's subtree: those a run may propose."""
    return Volunteer.objects.visible_to(user).filter(status=Status.ACTIVE).select_related("region")


def volunteer_is_active(volunteer: Volunteer) -> bool:
    return volunteer.status == Status.ACTIVE


def week_of(today: date) -> tuple[date, date]:
    """The seven days a run matches: ``today`` and the six after it."""
    return today, today + timedelta(days=WEEK - 1)


def in_week(needs, today: date):
    """Needs (a queryset) whose dates touch the week of ``today``."""
    first, last = week_of(today)
    return needs.filter(Q(date_to__isnull=True) | Q(date_to__gte=first), date_from__lte=last)


def effective_window(need: Need, today: date) -> int | None:
    """The need's weekly window within its dates this week: 0 for any time, None when no slot
    of its window falls within its dates this week."""
    days = [today + timedelta(days=k) for k in range(WEEK)]
    allowed = 0
    for day in days:
        if day >= need.date_from and (need.date_to is None or day <= need.date_to):
            allowed |= DAY_BITS << (day.weekday() * 3)
    if allowed == solver.ALL_WEEK:
        return need.window
    window = (need.window or solver.ALL_WEEK) & allowed
    return window or None


def skill_mask(skills: Iterable) -> int:
    return solver.skill_mask(skill.bit for skill in skills)


def since(today: date) -> date:
    return today - timedelta(days=WEEK - 1)


def volunteer_loads(volunteer_ids: Iterable[int], today: date) -> dict[int, int]:
    """Tasks each volunteer holds now, plus those done in the last seven days."""
    return _loads("volunteer", volunteer_ids, today)


def offer_loads(offer_ids: Iterable[int], today: date) -> dict[int, int]:
    return _loads("offer", offer_ids, today)


def _loads(column: str, ids: Iterable[int], today: date) -> dict[int, int]:
    busy = Q(status__in=OPEN_TASKS) | Q(status=TaskStatus.DONE, served_on__gte=since(today))
    rows = (
        Task.objects.filter(busy, **{f"{column}_id__in": list(ids)})
        .order_by()
        .values(column)
        .annotate(n=Count("pk"))
        .values_list(column, "n")
    )
    return dict(rows)


def refused_pairs(need_ids: Iterable[int]) -> dict[int, set[tuple[str, int]]]:
    """Per need, the suppliers that may not be proposed again: volunteers who declined it and
    suppliers a worker rejected for it. ("volunteer", pk) or ("offer", pk)."""
    need_ids = list(need_ids)
    refused: dict[int, set[tuple[str, int]]] = defaultdict(set)
    declined = Task.objects.filter(need_id__in=need_ids, status=TaskStatus.DECLINED)
    for need_id, volunteer_id, offer_id in declined.values_list("need", "volunteer", "offer"):
        refused[need_id].add(("volunteer", volunteer_id) if volunteer_id else ("offer", offer_id))
    rejected = Proposal.objects.filter(need_id__in=need_ids, status=ProposalStatus.REJECTED)
    for need_id, volunteer_id, offer_id in rejected.values_list("need", "volunteer", "offer"):
        refused[need_id].add(("volunteer", volunteer_id) if volunteer_id else ("offer", offer_id))
    return refused


def key_of(supplier) -> tuple[str, int]:
    return ("volunteer" if isinstance(supplier, Volunteer) else "offer", supplier.pk)


@dataclass
class Pool:
    """The needs and suppliers of one run, as records and as the solver's columns."""

    needs: list[Need] = field(default_factory=list)  # in the solver's order
    positions: list[Point] = field(default_factory=list)
    windows: list[int] = field(default_factory=list)
    unlocated: list[Need] = field(default_factory=list)  # no position: unmet, no_location
    no_time: list[Need] = field(default_factory=list)  # no slot this week: unmet, no_time
    suppliers: list = field(default_factory=list)  # Volunteer or OrganisationOffer
    supplier_positions: list[Point] = field(default_factory=list)
    loads: list[int] = field(default_factory=list)
    refused: dict[int, set[tuple[str, int]]] = field(default_factory=dict)


def volunteer_point(book: PointBook, volunteer: Volunteer) -> Point | None:
    return book.locate(volunteer.latitude, volunteer.longitude, volunteer.region_id)


def offer_point(book: PointBook, offer: OrganisationOffer) -> Point | None:
    return book.locate(offer.latitude, offer.longitude, offer.station.region_id)


def need_point(book: PointBook, need: Need) -> Point | None:
    return book.locate(need.latitude, need.longitude, need.region_id)


def build_pool(needs: list[Need], volunteers: list, offers: list, today: date) -> Pool:
    """Sort the run's records into what the solver sees and what is decided before it."""
    codes = [n.region_id for n in needs] + [v.region_id for v in volunteers]
    codes += [o.station.region_id for o in offers]
    book = PointBook(codes)
    pool = Pool(refused=refused_pairs(n.pk for n in needs))
    for need in needs:
        point, window = need_point(book, need), effective_window(need, today)
        if point is None:
            pool.unlocated.append(need)
        elif window is None:
            pool.no_time.append(need)
        else:
            pool.needs.append(need)
            pool.positions.append(point)
            pool.windows.append(window)
    v_loads = volunteer_loads((v.pk for v in volunteers), today)
    o_loads = offer_loads((o.pk for o in offers), today)
    for supplier in [*volunteers, *offers]:
        point = (
            volunteer_point(book, supplier)
            if isinstance(supplier, Volunteer)
            else offer_point(book, supplier)
        )
        if point is None:
            continue  # not a candidate: see geo's module notes
        loads = v_loads if isinstance(supplier, Volunteer) else o_loads
        pool.suppliers.append(supplier)
        pool.supplier_positions.append(point)
        pool.loads.append(loads.get(supplier.pk, 0))
    return pool
