"""A small world of service work driven by steps, for the tests that hold the counters equal to
the records: residents filed, moved between villages of different townships and counties and
re-categorised; visits recorded, re-dated and deleted; cases opened, advanced, closed and
served; groups, members and sessions; community activities. Every step calls the real
services with an administrator of 深圳市 (so moves can cross 南山区 and 福田区)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, SHEKOU, YUEHAI, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role, User
from wushe.activities.models import Activity
from wushe.activities.services import activity_create, activity_delete, activity_update
from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method, Stage
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.casework.services import visit_delete, visit_record, visit_update
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import group_create, group_delete, group_update, member_add
from wushe.groups.session_services import session_delete, session_record
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.people.models import Household, Resident
from wushe.people.services import resident_file, resident_update
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region, Site
from wushe.statistics.models import FiledBirthMonth, FiledCount, Tally

VILLAGES = [YUEHAI_VILLAGE, "440305007004", "440305005001", FUTIAN_VILLAGE]
CATEGORIES = [
    Category.SUBSISTENCE,
    Category.NEAR_SUBSISTENCE,
    Category.EXTREME_POVERTY,
    Category.LIVING_ALONE,
    Category.LEFT_BEHIND_CHILD,
]
CASE_FIELDS = {
    Stage.ASSESSMENT: {"assessment": "需要照护"},
    Stage.PLANNING: {"plan": "助餐"},
    Stage.INTERVENTION: {},
    Stage.EVALUATION: {"evaluation": "好转"},
    Stage.CLOSED: {"closing_summary": "目标达成"},
}
_numbers = itertools.count(1)


def today() -> date:
    return timezone.localdate()


def births() -> list[date]:
    """Born long ago, on the 高龄 boundary (80 today, 80 tomorrow) and young."""
    now = today()
    eighty = now.replace(year=now.year - 80) if (now.month, now.day) != (2, 29) else None
    eighty = eighty or date(now.year - 80, 2, 28)
    return [date(1938, 3, 9), eighty, eighty + timedelta(days=1), date(1990, 6, 1)]


def stations() -> list[Site]:
    """A station of 粤海, a room of one of its villages, a station of 蛇口 and one of 福田."""
    wanted = [
        (YUEHAI, SiteKind.STATION, "粤海街道社工站"),
        (YUEHAI_VILLAGE, SiteKind.ROOM, "科技园社区社工室"),
        (SHEKOU, SiteKind.STATION, "蛇口街道社工站"),
        (FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站"),
    ]
    return [
        Site.objects.get_or_create(region_id=code, kind=kind, defaults={"name": name})[0]
        for code, kind, name in wanted
    ]


def shenzhen_admin() -> User:
    return User.objects.filter(username="shenzhen_stats").first() or make_user(
        "shenzhen_stats", "440300000000", Role.ADMIN
    )


def clear() -> None:
    """No records and no counters: the start of every sequence."""
    for model in (CaseRecord, Case, HomeVisit, GroupSession, GroupMember, Group, Activity):
        model.objects.all().delete()
    Resident.objects.all().delete()
    Household.objects.all().delete()
    for model in (Tally, FiledCount, FiledBirthMonth):
        model.objects.all().delete()


def _pick(queryset, index: int):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _mask(items: list, bits: int) -> list:
    return [item for position, item in enumerate(items) if bits >> position & 1]


class World:
    """Runs steps (name, a, b, c) with small integers; a step the services refuse is counted
    and must leave no trace (the final check would find it)."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.stations = stations()
        self.refused = 0

    def run(self, steps) -> None:
        for name, a, b, c in steps:
            try:
                getattr(self, name)(a, b, c)
            except ValidationError:
                self.refused += 1

    # Residents ----------------------------------------------------------------------------

    def file(self, a: int, b: int, c: int) -> None:
        number = next(_numbers)
        born = births()[c % len(births())]
        resident_file(
            actor=self.actor,
            name=f"居民{number}",
            id_number=make_id_number(f"4403{number // 1000 % 100:02d}", born, number % 1000),
            region=Region.objects.get(code=VILLAGES[a % len(VILLAGES)]),
            categories=_mask(CATEGORIES, b),
        )

    def move(self, a: int, b: int, c: int) -> None:
        resident = _pick(Resident.objects, a)
        if resident:
            village = Region.objects.get(code=VILLAGES[b % len(VILLAGES)])
            resident_update(actor=self.actor, resident=resident, region=village)

    def recategorise(self, a: int, b: int, c: int) -> None:
        resident = _pick(Resident.objects, a)
        if resident:
            resident_update(actor=self.actor, resident=resident, categories=_mask(CATEGORIES, b))

    # Visits and cases ------------------------------------------------------------------------

    def visit(self, a: int, b: int, c: int) -> None:
        resident = _pick(Resident.objects, a)
        if resident:
            day = today() - timedelta(days=b * 23)
            visit_record(actor=self.actor, resident=resident, visited_on=day)

    def redate_visit(self, a: int, b: int, c: int) -> None:
        visit = _pick(HomeVisit.objects, a)
        if visit:
            day = today() - timedelta(days=b * 31)
            visit_update(actor=self.actor, visit=visit, visited_on=day)

    def delete_visit(self, a: int, b: int, c: int) -> None:
        visit = _pick(HomeVisit.objects, a)
        if visit:
            visit_delete(actor=self.actor, visit=visit)

    def open_case(self, a: int, b: int, c: int) -> None:
        resident = _pick(Resident.objects, a)
        if resident:
            day = today() - timedelta(days=b * 29)
            case_open(actor=self.actor, resident=resident, problem="困难", opened_on=day)

    def advance_case(self, a: int, b: int, c: int) -> None:
        case = _pick(Case.objects.exclude(stage=Stage.CLOSED), a)
        if case is None:
            return
        target = Stage(case.stage)
        target = list(Stage)[list(Stage).index(target) + 1]
        fields = dict(CASE_FIELDS[target])
        if target == Stage.CLOSED:
            fields["closed_on"] = min(today(), case.opened_on + timedelta(days=b * 17))
        case_advance(actor=self.actor, case=case, **fields)

    def serve(self, a: int, b: int, c: int) -> None:
        case = _pick(Case.objects.exclude(stage=Stage.CLOSED), a)
        if case:
            day = min(today(), case.opened_on + timedelta(days=b * 13))
            case_record_service(
                actor=self.actor, case=case, served_on=day, minutes=30, method=Method.PHONE
            )

    # Groups -------------------------------------------------------------------------------

    def group(self, a: int, b: int, c: int) -> None:
        group_create(
            actor=self.actor,
            name="小组",
            goal="互助",
            service_area=ServiceArea.ELDERLY,
            station=self.stations[a % len(self.stations)],
            started_on=today() - timedelta(days=200 + b * 19),
            planned_sessions=8,
        )

    def join(self, a: int, b: int, c: int) -> None:
        group, resident = _pick(Group.objects, a), _pick(Resident.objects, b)
        if group and resident:
            member_add(actor=self.actor, group=group, resident=resident, joined_on=group.started_on)

    def session(self, a: int, b: int, c: int) -> None:
        group = _pick(Group.objects, a)
        if group:
            present = _mask(list(group.members.order_by("pk")), c)
            day = min(today(), group.started_on + timedelta(days=b * 11))
            session_record(
                actor=self.actor, group=group, held_on=day, topic="节", attendees=present
            )

    def move_group(self, a: int, b: int, c: int) -> None:
        group = _pick(Group.objects, a)
        if group:
            station = self.stations[b % len(self.stations)]
            group_update(actor=self.actor, group=group, station=station)

    def delete_session(self, a: int, b: int, c: int) -> None:
        session = _pick(GroupSession.objects, a)
        if session:
            session_delete(actor=self.actor, session=session)

    def delete_group(self, a: int, b: int, c: int) -> None:
        group = _pick(Group.objects, a)
        if group:
            group_delete(actor=self.actor, group=group)

    # Community activities -------------------------------------------------------------------

    def activity(self, a: int, b: int, c: int) -> None:
        activity_create(
            actor=self.actor,
            station=self.stations[a % len(self.stations)],
            held_on=today() - timedelta(days=b * 37),
            place="广场",
            theme="义诊",
            service_area=ServiceArea.ELDERLY,
            participants=_mask(list(Resident.objects.order_by("pk")), c),
            anonymous_count=c * 3,
        )

    def change_activity(self, a: int, b: int, c: int) -> None:
        activity = _pick(Activity.objects, a)
        if activity:
            activity_update(
                actor=self.actor,
                activity=activity,
                held_on=today() - timedelta(days=b * 41),
                anonymous_count=c,
                participants=_mask(list(Resident.objects.order_by("pk")), b),
            )

    def delete_activity(self, a: int, b: int, c: int) -> None:
        activity = _pick(Activity.objects, a)
        if activity:
            activity_delete(actor=self.actor, activity=activity)


# Each step's weight in random sequences: more making than undoing, so the world grows.
WEIGHTS = {
    "file": 2,
    "move": 3,
    "recategorise": 2,
    "visit": 4,
    "redate_visit": 2,
    "delete_visit": 1,
    "open_case": 3,
    "advance_case": 6,
    "serve": 3,
    "group": 2,
    "join": 3,
    "session": 4,
    "move_group": 1,
    "delete_session": 1,
    "delete_group": 1,
    "activity": 3,
    "change_activity": 2,
    "delete_activity": 1,
}
STEPS = [name for name, weight in WEIGHTS.items() for _copy in range(weight)]
