"""Demo social organisations for ``wushe demo``: about thirty organisations of a county — social
work agencies registered with the county, volunteer and charitable organisations, and community
social organisations filed with their streets (most without a credit code) — with their service
areas, and a few periods in an incubation base at a street station. All through the services,
so the audit log is as real as the rest.

Idempotent: nothing is added when the county already has an organisation. Random choices come
from a seeded generator: every run on an empty database writes the same.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import User
from wushe.core.service_areas import ServiceArea
from wushe.organisations.choices import OrganisationStatus, OrganisationType
from wushe.organisations.credit_codes import make_credit_code
from wushe.organisations.models import Organisation
from wushe.organisations.services import (
    incubation_enter,
    incubation_leave,
    organisation_register,
    organisation_update,
)
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region, Site

SEED = 20260601
# (name, type, registered with the county (True) or filed with a street (False))
COUNTY_ORGANISATIONS = [
    ("{county}阳光社会工作服务中心", OrganisationType.SOCIAL_WORK),
    ("{county}鹏星社会工作服务社", OrganisationType.SOCIAL_WORK),
    ("{county}彩虹社工服务中心", OrganisationType.SOCIAL_WORK),
    ("{county}长青老龄服务中心", OrganisationType.SOCIAL_WORK),
    ("{county}启智儿童发展服务中心", OrganisationType.SOCIAL_WORK),
    ("{county}慈善会", OrganisationType.CHARITY),
    ("{county}关爱困境儿童基金会", OrganisationType.CHARITY),
    ("{county}义工联合会", OrganisationType.VOLUNTEER),
    ("{county}应急救援志愿者协会", OrganisationType.VOLUNTEER),
    ("{county}心理健康促进会", OrganisationType.OTHER),
]
STREET_ORGANISATIONS = [
    ("{street}长者互助会", ServiceArea.ELDERLY),
    ("{street}志愿服务队", ServiceArea.COMMUNITY),
    ("{street}四点半课堂", ServiceArea.CHILDREN),
]
# The civil affairs types (GB 32100): 2 social service organisation, 1 social group, 3 foundation.
TYPE_DIGIT = {
    OrganisationType.SOCIAL_WORK: "2",
    OrganisationType.VOLUNTEER: "1",
    OrganisationType.CHARITY: "3",
    OrganisationType.OTHER: "1",
}
AREAS = [area for area in ServiceArea.values if area != ServiceArea.OTHER]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"


def _county(county: Region | str) -> Region:
    if isinstance(county, Region):
        return county
    return Region.objects.get(code=normalize_code(county))


def _phone(rng: random.Random) -> str:
    return f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}"


def seed(*, actor: User, county: Region | str) -> int:
    """The county's demo organisations, once; the number of organisations written."""
    county = _county(county)
    if Organisation.objects.within(county.subtree_range).exists():
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    streets = list(
        Region.objects.within(county.subtree_range).filter(level=Level.TOWNSHIP).order_by("code")
    )
    stations = list(
        Site.objects.within(county.subtree_range)
        .filter(kind=SiteKind.STATION, status=SiteStatus.OPERATING)
        .order_by("region_id")
    )
    written: list[Organisation] = []
    with transaction.atomic():
        for index, (pattern, kind) in enumerate(COUNTY_ORGANISATIONS):
            body = f"5{TYPE_DIGIT[kind]}{county.code[:6]}MJ{index + 1:06d}"
            written.append(
                organisation_register(
                    actor=actor,
                    name=pattern.format(county=county.name),
                    kind=kind,
                    credit_code=make_credit_code(body),
                    region=county,
                    service_areas=sorted(rng.sample(AREAS, rng.randrange(1, 4))),
                    contact_person=rng.choice(SURNAMES) + "主任",
                    contact_phone=_phone(rng),
                    founded_on=date(rng.randrange(2008, 2023), rng.randrange(1, 13), 1),
                )
            )
        for street in streets:
            for pattern, area in rng.sample(STREET_ORGANISATIONS, 2):
                written.append(
                    organisation_register(
                        actor=actor,
                        name=pattern.format(street=street.name),
                        kind=OrganisationType.COMMUNITY,
                        region=street,
                        service_areas=[area],
                        contact_person=rng.choice(SURNAMES) + "老师",
                        contact_phone=_phone(rng),
                        founded_on=date(rng.randrange(2016, 2025), rng.randrange(1, 13), 1),
                    )
                )
        # One in twenty has stopped: deregistered by the county.
        for organisation in rng.sample(written, max(1, len(written) // 20)):
            organisation_update(
                actor=actor, organisation=organisation, status=OrganisationStatus.DEREGISTERED
            )
        # Young community organisations in a street station's incubation base.
        if stations:
            active = [
                organisation
                for organisation in written[len(COUNTY_ORGANISATIONS) :]
                if organisation.status == OrganisationStatus.ACTIVE
            ]
            for organisation in rng.sample(active, min(8, len(active))):
                station = rng.choice(stations)
                entered = today - timedelta(days=rng.randrange(200, 900))
                incubation_enter(
                    actor=actor, organisation=organisation, site=station, entered_on=entered
                )
                if rng.random() < 0.5:
                    left = min(today, entered + timedelta(days=rng.randrange(180, 365)))
                    incubation_leave(actor=actor, organisation=organisation, left_on=left)
    return len(written)
