"""A month of work in 深圳 recorded through the real services, for the report and dashboard
tests: sites (one opened after the month), residents in villages of 粤海, 蛇口 and 福田, visits,
cases, case records, groups with sessions and community activities in and around October 2026,
yearly figures of 南山区 and a target of 广东. The tests count the records themselves, with the
models, to check every figure against them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, SHEKOU, YUEHAI, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role, User
from wushe.activities.services import activity_create
from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method
from wushe.casework.services import visit_record
from wushe.core.service_areas import ServiceArea
from wushe.groups.services import group_create, member_add
from wushe.groups.session_services import session_record
from wushe.indicators import entries
from wushe.indicators.models import DataElement, Indicator
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region
from wushe.regions.services import site_create

MONTH = date(2026, 10, 1)
OCT_9 = date(2026, 10, 9)
GUANGDONG = "440000000000"
SHEKOU_VILLAGE = "440305005001"
YUEHAI_VILLAGE_2 = "440305007004"
NANSHAN = "440305000000"


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def shenzhen_admin() -> User:
    return User.objects.filter(username="shenzhen_admin").first() or make_user(
        "shenzhen_admin", "440300000000", Role.ADMIN
    )


def guangdong_admin() -> User:
    return User.objects.filter(username="guangdong_admin").first() or make_user(
        "guangdong_admin", GUANGDONG, Role.ADMIN
    )


def _sites(actor) -> dict:
    wanted = {
        "yuehai": (YUEHAI, SiteKind.STATION, date(2025, 3, 1), SiteStatus.OPERATING),
        "yuehai_room": (YUEHAI_VILLAGE, SiteKind.ROOM, date(2026, 2, 1), SiteStatus.OPERATING),
        "shekou": (SHEKOU, SiteKind.STATION, date(2026, 11, 2), SiteStatus.OPERATING),
        "shekou_room": (SHEKOU_VILLAGE, SiteKind.ROOM, None, SiteStatus.SUSPENDED),
        "futian": (FUTIAN_TOWNSHIP, SiteKind.STATION, date(2024, 1, 1), SiteStatus.OPERATING),
    }
    return {
        key: site_create(
            actor=actor,
            name=f"{region(code).name}{'社工站' if kind == SiteKind.STATION else '社工室'}",
            kind=kind,
            region=region(code),
            opened_on=opened,
            status=status,
        )
        for key, (code, kind, opened, status) in wanted.items()
    }


def _residents(actor) -> dict:
    people = {
        "zhang": (YUEHAI_VILLAGE, date(1941, 5, 2), [Category.SUBSISTENCE]),
        "wang": (YUEHAI_VILLAGE, date(1960, 8, 9), [Category.LIVING_ALONE]),
        "zhao": (YUEHAI_VILLAGE_2, date(2015, 1, 20), [Category.LEFT_BEHIND_CHILD]),
        "li": (SHEKOU_VILLAGE, date(1985, 3, 3), [Category.NEAR_SUBSISTENCE]),
        "chen": (FUTIAN_VILLAGE, date(1938, 12, 1), [Category.EXTREME_POVERTY]),
    }
    found = {}
    for number, (key, (code, born, categories)) in enumerate(people.items(), start=1):
        found[key] = resident_file(
            actor=actor,
            name=f"居民{key}",
            id_number=make_id_number(code[:6], born, 300 + number),
            region=region(code),
            categories=categories,
        )
    return found


def _casework(actor, people: dict) -> None:
    visits = {
        "zhang": [date(2026, 9, 30), date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1)],
        "wang": [date(2026, 10, 15)],
        "zhao": [date(2026, 10, 2), date(2026, 10, 3)],
        "li": [date(2026, 10, 20)],
        "chen": [date(2026, 10, 9), date(2026, 10, 10)],
    }
    for key, days in visits.items():
        for day in days:
            visit_record(actor=actor, resident=people[key], visited_on=day)
    # Open before the month and closed in it; opened in it; open throughout; opened and closed
    # before it (not served in October); one in 福田.
    cases = {
        "zhang": (date(2026, 8, 3), date(2026, 10, 12)),
        "wang": (date(2026, 10, 5), None),
        "zhao": (date(2025, 12, 1), None),
        "li": (date(2026, 6, 1), date(2026, 9, 15)),
        "chen": (date(2026, 10, 6), None),
    }
    for key, (opened, closed) in cases.items():
        case = case_open(actor=actor, resident=people[key], problem="需要", opened_on=opened)
        served = date(2026, 10, 7) if key != "li" else date(2026, 7, 1)
        case_record_service(
            actor=actor, case=case, served_on=served, minutes=30, method=Method.HOME
        )
        if closed:
            for fields in ({"assessment": "a"}, {"plan": "p"}, {}, {"evaluation": "e"}):
                case_advance(actor=actor, case=case, **fields)
            case_advance(actor=actor, case=case, closing_summary="s", closed_on=closed)


def _groups_and_activities(actor, people: dict, sites: dict) -> None:
    plans = [
        (
            "yuehai",
            "长者小组",
            date(2026, 10, 8),
            ["zhang", "wang"],
            [date(2026, 10, 9), date(2026, 10, 23)],
        ),
        ("yuehai", "儿童小组", date(2026, 9, 1), ["zhao"], [date(2026, 9, 8), date(2026, 10, 6)]),
        ("futian", "福田小组", date(2026, 10, 2), ["chen"], [date(2026, 10, 16)]),
    ]
    for site, name, started, members, sessions in plans:
        group = group_create(
            actor=actor,
            name=name,
            goal="互助",
            service_area=ServiceArea.ELDERLY,
            station=sites[site],
            started_on=started,
            planned_sessions=4,
        )
        joined = [
            member_add(actor=actor, group=group, resident=people[key], joined_on=started)
            for key in members
        ]
        for number, held in enumerate(sessions):
            present = joined if number == 0 else joined[:1]
            session_record(actor=actor, group=group, held_on=held, topic="节", attendees=present)
    events = [
        ("yuehai", date(2026, 10, 18), ["zhang", "zhao"], 25),
        ("yuehai_room", date(2026, 10, 25), ["wang"], 0),
        ("yuehai", date(2026, 11, 3), [], 40),
        ("futian", date(2026, 10, 11), ["chen"], 12),
    ]
    for site, held, participants, anonymous in events:
        activity_create(
            actor=actor,
            station=sites[site],
            held_on=held,
            place="广场",
            theme="义诊",
            service_area=ServiceArea.ELDERLY,
            participants=[people[key] for key in participants],
            anonymous_count=anonymous,
        )


def _figures_and_targets() -> None:
    admin = guangdong_admin()
    nanshan = region(NANSHAN)
    for element, value in (
        ("households", "50000"),
        ("community_facility_area", "17500"),
        ("urban_population", "1000000"),
    ):
        entries.entered_value_set(
            actor=admin,
            region=nanshan,
            year=2026,
            element=DataElement.objects.get(code=element),
            value=value,
        )
    for code, value in (("station_coverage", 100), ("facility_area_per_100_households", 32)):
        entries.target_set(
            actor=admin,
            region=region(GUANGDONG),
            indicator=Indicator.objects.get(code=code),
            year=2025,
            value=Decimal(value),
        )


def build() -> dict:
    """Record the month (idempotence is not needed: each test has its own transaction)."""
    actor = shenzhen_admin()
    sites = _sites(actor)
    people = _residents(actor)
    _casework(actor, people)
    _groups_and_activities(actor, people, sites)
    _figures_and_targets()
    return {"actor": actor, "sites": sites, "people": people}
