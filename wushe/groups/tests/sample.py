"""Sample residents, groups and activities for the tests of group work and activities."""

from __future__ import annotations

from datetime import date

from conftest import YUEHAI_VILLAGE
from wushe.accounts.models import User
from wushe.activities.models import Activity
from wushe.activities.services import activity_create
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group
from wushe.groups.services import group_create
from wushe.people.identity import make_id_number
from wushe.people.models import Resident
from wushe.people.services import resident_file
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
