"""A small world for the matching tests: points for 粤海街道's villages (about 1–3 km apart),
volunteers and residents there, needs recorded by its station."""

from __future__ import annotations

from datetime import date
from itertools import count

from django.utils import timezone

from conftest import PASSWORD
from wushe.matching import need_services
from wushe.matching.choices import NeedSource, Urgency
from wushe.matching.models import RegionPoint
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.regions.models import Region
from wushe.volunteers.choices import ALL_WEEK
from wushe.volunteers.models import Skill
from wushe.volunteers.services import volunteer_invite, volunteer_register

KEJIYUAN = "440305007003"  # 科技园社区
SHENDA = "440305007004"  # 深圳大学社区, about 1.6 km west of 科技园
HOUHAI = "440305007011"  # 后海社区, about 2.6 km south
DACHONG = "440305007029"  # 大冲社区, no point of its own: 粤海街道's point stands in
YUEHAI = "440305007000"
DONGJIAOTOU = "440305005001"  # 蛇口街道 东角头社区, about 6 km away
POINTS = {
    KEJIYUAN: (22.5400, 113.9500),
    SHENDA: (22.5350, 113.9355),
    HOUHAI: (22.5170, 113.9430),
    YUEHAI: (22.5280, 113.9480),
    DONGJIAOTOU: (22.4900, 113.9150),
}
_numbers = count(1)


def put_points(points: dict[str, tuple[float, float]] = POINTS) -> None:
    RegionPoint.objects.bulk_create(
        RegionPoint(region_id=code, latitude=lat, longitude=lon, source="test")
        for code, (lat, lon) in points.items()
    )


def skill(code: str) -> Skill:
    return Skill.objects.get(code=code)


def make_resident(actor, name: str, village: str = KEJIYUAN, phone: str = "13800138000"):
    return resident_file(
        actor=actor,
        name=name,
        id_number=make_id_number("440305", date(1945, 3, 1), next(_numbers) % 999 + 1),
        phone=phone,
        region=Region.objects.get(code=village),
    )


def make_volunteer(
    actor,
    name: str,
    village: str = KEJIYUAN,
    *,
    skills=("meals",),
    availability: int = ALL_WEEK,
    capacity: int = 2,
    radius_km: float = 3,
    username: str | None = None,
):
    volunteer = volunteer_register(
        actor=actor,
        name=name,
        id_number=make_id_number("440305", date(1990, 5, 1), next(_numbers) % 999 + 1),
        phone=f"139{next(_numbers):08d}",
        region=Region.objects.get(code=village),
        availability=availability,
        capacity=capacity,
        radius_km=radius_km,
        skills=[skill(code) for code in skills],
    )
    if username:
        volunteer_invite(actor=actor, volunteer=volunteer, username=username, password=PASSWORD)
    return volunteer


def make_need(
    actor,
    station,
    resident,
    *,
    skills=("meals",),
    urgency: int = Urgency.NORMAL,
    window: int = 0,
    region: str | None = None,
    description: str = "每天午餐送餐上门",
    **extra,
):
    fields = {
        "station": station,
        "source": NeedSource.REQUEST,
        "resident": resident,
        "service_area": "elderly",
        "urgency": urgency,
        "date_from": timezone.localdate(),
        "window": window,
        "description": description,
        **extra,
    }
    if region:
        fields["region"] = Region.objects.get(code=region)
    return need_services.need_create(actor=actor, skills=[skill(code) for code in skills], **fields)
