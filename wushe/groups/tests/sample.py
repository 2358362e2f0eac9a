"""Sample residents, groups and activities for the tests of group work and activities."""

from __future__ import annotations

from datetime import date

from conftest import (
    FUTIAN_TOWNSHIP,
    FUTIAN_VILLAGE,
    SHEKOU,
    YUEHAI,
    YUEHAI_VILLAGE,
    make_site,
    make_user,
)
from wushe.accounts.models import Role, User
from wushe.activities.models import Activity
from wushe.activities.services import activity_create
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group
from wushe.groups.services import group_create, member_add
from wushe.groups.session_services import session_record
from wushe.people.identity import make_id_number
from wushe.people.models import Resident
from wushe.people.services import resident_file
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region, Site

SHEKOU_VILLAGE = "440305005001"  # 东角头社区
YUEHAI_OTHER_VILLAGE = "440305007004"  # 深圳大学社区
START = date(2026, 3, 2)


def region(code: str) -> Region:
    return Region.objects.get(code=code)


def file_resident(
    actor: User, sequence: int, code: str = YUEHAI_VILLAGE, name: str = ""
) -> Resident:
    return resident_file(
        actor=actor,
        name=name or f"居民{sequence}",
        id_number=make_id_number(code[:6], date(1950, 1, 1), sequence),
        region=region(code),
    )


def make_group(actor: User, station: Site, **fields) -> Group:
    values = {
        "name": "长者健康小组",
        "goal": "提升社区长者的健康管理能力",
        "service_area": ServiceArea.ELDERLY,
        "station": station,
        "started_on": START,
        "planned_sessions": 6,
    }
    return group_create(actor=actor, **{**values, **fields})


def make_activity(actor: User, station: Site, **fields) -> Activity:
    values = {
        "held_on": date(2026, 6, 1),
        "place": "社区党群服务中心",
        "theme": "防诈骗讲座",
        "service_area": ServiceArea.ELDERLY,
        "station": station,
        "anonymous_count": 20,
    }
    return activity_create(actor=actor, **{**values, **fields})


def scope_world() -> dict:
    """For the scope tests: a station in 粤海, one in 蛇口 (南山区) and one in 园岭 (福田区),
    each with a resident of one of its villages, a group with that resident as a member, a
    session the member attended, and an activity the resident took part in. All made by an
    administrator of 深圳市, above the whole cast."""
    shenzhen = make_user("shenzhen_admin", "440300000000", Role.ADMIN)
    places = [
        (YUEHAI, YUEHAI_VILLAGE, "粤海"),
        (SHEKOU, SHEKOU_VILLAGE, "蛇口"),
        (FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, "园岭"),
    ]
    world: dict[str, list] = {key: [] for key in ("stations", "residents", "groups", "members")}
    world.update(sessions=[], activities=[])
    for index, (township, village, name) in enumerate(places, start=1):
        station = make_site(township, SiteKind.STATION, f"{name}街道社工站")
        resident = file_resident(shenzhen, index, village, name=f"{name}居民")
        group = make_group(shenzhen, station, name=f"{name}小组")
        member = member_add(actor=shenzhen, group=group, resident=resident, joined_on=START)
        session = session_record(
            actor=shenzhen, group=group, held_on=START, topic=f"{name}第一节", attendees=[member]
        )
        activity = make_activity(
            shenzhen, station, theme=f"{name}活动", region=region(village), participants=[resident]
        )
        for key, value in (
            ("stations", station),
            ("residents", resident),
            ("groups", group),
            ("members", member),
            ("sessions", session),
            ("activities", activity),
        ):
            world[key].append(value)
    return world
