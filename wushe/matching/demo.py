"""Demo three lists for ``wushe demo``: points for 南山区's streets and communities, about 150
open needs of the demo residents across the county's operating stations, and a few social
organisations' offers — all through the services, audited like the rest.

The points are synthetic but plausible: each street's rough centre, each community a few
hundred metres to 1.5 km from it, from a seeded generator. Idempotent: points are written only
where a region has none, needs and offers only when the county has none yet.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from wushe.accounts.models import User
from wushe.core.service_areas import ServiceArea
from wushe.matching import need_services, offer_services
from wushe.matching.choices import NeedSource, Urgency
from wushe.matching.models import Need, OrganisationOffer, RegionPoint
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level
from wushe.regions.models import Region, Site
from wushe.volunteers.models import Skill

SEED = 20260601
NEEDS = 150
# Rough centres of 南山区's streets (WGS-84).
CENTRES = {
    "440305001000": (22.5420, 113.9230),  # 南头街道
    "440305002000": (22.5170, 113.9260),  # 南山街道
    "440305003000": (22.5380, 113.9760),  # 沙河街道
    "440305005000": (22.4860, 113.9120),  # 蛇口街道
    "440305006000": (22.4780, 113.8950),  # 招商街道
    "440305007000": (22.5280, 113.9480),  # 粤海街道
    "440305008000": (22.5640, 113.9660),  # 桃源街道
    "440305009000": (22.5860, 113.9560),  # 西丽街道
    "440305400000": (22.5300, 113.8950),  # 前海合作区
}
KM_PER_DEGREE = 111.32
# What a need asks for, by service area: skill codes (all required) and what to write.
KINDS = [
    (ServiceArea.ELDERLY, ("meals",), "每天午餐送餐上门"),
    (ServiceArea.ELDERLY, ("visiting",), "独居老人每周陪伴探访"),
    (ServiceArea.ELDERLY, ("medical_escort",), "陪同到社康中心复诊"),
    (ServiceArea.ELDERLY, ("digital",), "教老人使用智能手机挂号"),
    (ServiceArea.ELDERLY, ("shopping",), "代购日用品和药品"),
    (ServiceArea.CHILDREN, ("tutoring",), "留守儿童课后作业辅导"),
    (ServiceArea.MENTAL_HEALTH, ("counselling",), "丧偶后情绪低落，需要心理疏导"),
    (ServiceArea.ASSISTANCE, ("legal",), "咨询赡养费纠纷"),
    (ServiceArea.COMMUNITY, ("anti_fraud",), "上门讲解防骗反诈"),
    (ServiceArea.DISABILITY, ("repairs",), "家中扶手和灯具维修"),
    (ServiceArea.ELDERLY, ("cleaning",), "行动不便，需要居家清洁"),
]
OFFERS = [
    # (station's street, skills, service areas, tasks a week, radius km)
    ("440305007000", ("medical_escort", "visiting"), ("elderly", "disability"), 6, 5),
    ("440305005000", ("counselling",), ("mental_health", "family"), 4, 8),
    ("440305001000", ("legal",), ("assistance",), 3, 10),
]


def _points(rng: random.Random, county: Region) -> int:
    """A point for every street and community of the county that has none."""
    have = set(RegionPoint.objects.values_list("region_id", flat=True))
    rows = []
    townships = Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")
    for township in townships:
        lat, lon = CENTRES.get(township.code, (22.53, 113.93))
        if township.code not in have:
            rows.append(RegionPoint(region=township, latitude=lat, longitude=lon, source="demo"))
        for village in township.children.filter(level=Level.VILLAGE).order_by("code"):
            # Draw every time, so one community's point never shifts another's.
            distance, angle = rng.uniform(0.3, 1.5), rng.uniform(0, 6.283)
            if village.code in have:
                continue
            dlat = distance * math.sin(angle) / KM_PER_DEGREE
            dlon = distance * math.cos(angle) / (KM_PER_DEGREE * 0.924)
            rows.append(
                RegionPoint(
                    region=village,
                    latitude=Decimal(f"{lat + dlat:.6f}"),
                    longitude=Decimal(f"{lon + dlon:.6f}"),
                    source="demo",
                )
            )
    RegionPoint.objects.bulk_create(rows)
    return len(rows)


def _window(rng: random.Random) -> int:
    if rng.random() < 0.5:
        return 0
    return sum(1 << bit for bit in rng.sample(range(21), rng.randrange(2, 7)))


def _needs(actor: User, rng: random.Random, county: Region, today: date) -> int:
    stations = list(
        Site.objects.within(county.subtree_range)
        .filter(kind=SiteKind.STATION, status=SiteStatus.OPERATING)
        .select_related("region")
        .order_by("region_id")
    )
    skills = {skill.code: skill for skill in Skill.objects.filter(active=True)}
    made = 0
    per_station = NEEDS // max(len(stations), 1) + 1
    for station in stations:
        residents = list(
            Resident.objects.within(station.region.subtree_range).order_by("id")[: per_station * 3]
        )
        for resident in rng.sample(residents, min(per_station, len(residents))):
            if made >= NEEDS:
                return made
            area, codes, text = rng.choice(KINDS)
            urgency = rng.choices(list(Urgency), weights=(2, 6, 2))[0]
            need_services.need_create(
                actor=actor,
                station=station,
                source=NeedSource.REQUEST,
                resident=resident,
                service_area=area,
                skills=[skills[code] for code in codes if code in skills],
                urgency=urgency,
                date_from=today - timedelta(days=rng.randrange(0, 10)),
                date_to=None if urgency == Urgency.LONG_TERM else today + timedelta(days=30),
                window=_window(rng),
                description=text,
            )
            made += 1
    return made


def _offers(actor: User, county: Region) -> int:
    from wushe.organisations.models import Organisation

    organisations = list(Organisation.objects.within(county.subtree_range).order_by("id")[:3])
    skills = {skill.code: skill for skill in Skill.objects.filter(active=True)}
    made = 0
    for organisation, (street, codes, areas, capacity, radius) in zip(
        organisations, OFFERS, strict=False
    ):
        station = Site.objects.filter(region_id=street, kind=SiteKind.STATION).first()
        if station is None:
            continue
        offer_services.offer_create(
            actor=actor,
            organisation=organisation,
            station=station,
            service_areas=list(areas),
            skills=[skills[code] for code in codes if code in skills],
            capacity=capacity,
            radius_km=Decimal(radius),
        )
        made += 1
    return made


def seed(*, actor: User, county: Region, today: date) -> int:
    """Points, needs and organisations' offers of the county; returns how many rows were
    added (0 on a second run). Needs come from residents already filed (the residents demo)."""
    rng = random.Random(SEED)
    with transaction.atomic():
        added = _points(rng, county)
        if not Need.objects.within(county.subtree_range).exists():
            added += _needs(actor, rng, county, today)
        if not OrganisationOffer.objects.within(county.subtree_range).exists():
            added += _offers(actor, county)
    return added
