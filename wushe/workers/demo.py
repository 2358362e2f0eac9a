"""Demo social workers for ``wushe demo``: about 120 workers across a county's operating street
stations (a few at the county centre and village rooms), with a realistic share certified —
about four in ten, mostly at the assistant level, a few senior — mostly full-time, one in
twelve a supervisor (督导), some who have left, and a few trainings each. All through the
services, so the audit log is as real as the rest.

Idempotent: nothing is added when the county already has a social worker. Random choices come
from a seeded generator: every run on an empty database writes the same.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import User
from wushe.people.identity import make_id_number
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.codes import normalize_code
from wushe.regions.models import Region, Site
from wushe.workers.choices import CertificateLevel, Education, Employment, WorkerStatus
from wushe.workers.models import SocialWorker
from wushe.workers.services import training_add, worker_register

SEED = 20260602
WORKERS = 120
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾"
GIVEN = ["敏", "静", "伟", "芳", "磊", "娜", "婷", "强", "洁", "涛", "颖", "浩", "晨", "琳", "欣"]
# Shares seen in Guangdong's street stations: most hold no certificate or the assistant one.
LEVELS = [
    (CertificateLevel.NONE, 0.58),
    (CertificateLevel.ASSISTANT, 0.30),
    (CertificateLevel.INTERMEDIATE, 0.10),
    (CertificateLevel.SENIOR, 0.02),
]
EDUCATION = [
    (Education.COLLEGE, 0.35),
    (Education.BACHELOR, 0.55),
    (Education.MASTER, 0.08),
    (Education.SECONDARY, 0.02),
]
MAJORS = ["社会工作", "社会工作", "社会工作", "心理学", "社会学", "教育学", "护理学", "行政管理"]
TRAININGS = [
    ("社区社会工作实务", "市社会工作者协会"),
    ("个案管理与评估", "区社会工作指导中心"),
    ("儿童保护与困境儿童服务", "市民政局"),
    ("老年人能力评估", "区民政局"),
    ("社会工作督导技巧", "市社会工作者协会"),
    ("心理危机干预", "市心理卫生协会"),
    ("社会工作伦理", "区社会工作指导中心"),
]


def _weighted(rng: random.Random, choices: list[tuple[str, float]]) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _sites(county: Region) -> list[Site]:
    """The county's operating sites, stations first: most workers work at a street station."""
    sites = Site.objects.within(county.subtree_range).filter(status=SiteStatus.OPERATING)
    stations = list(sites.filter(kind=SiteKind.STATION).order_by("region_id"))
    others = list(sites.exclude(kind=SiteKind.STATION).order_by("region_id", "kind")[:10])
    return stations * 6 + others


def _worker(rng: random.Random, index: int, site: Site, today: date) -> dict:
    level = _weighted(rng, LEVELS)
    born = date(rng.randrange(1968, 2001), rng.randrange(1, 13), rng.randrange(1, 29))
    joined = today - timedelta(days=rng.randrange(60, 3650))
    fields = {
        "name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
        # 南山's address code, sequences 700-999: clear of the demo residents' numbers.
        "id_number": make_id_number("440305", born, 700 + index) if rng.random() < 0.9 else "",
        "gender": rng.choice(("male", "female")),
        "phone": f"13{rng.randrange(5, 10)}{rng.randrange(10**8):08d}",
        "site": site,
        "certificate_level": level,
        "employment": Employment.FULL_TIME if rng.random() < 0.78 else Employment.PART_TIME,
        "education": _weighted(rng, EDUCATION),
        "major": rng.choice(MAJORS),
        "is_supervisor": level != CertificateLevel.NONE and rng.random() < 0.18,
        "stars": rng.choice((0, 0, 0, 1, 1, 2, 3)) if level != CertificateLevel.NONE else 0,
        "joined_on": joined,
    }
    if fields["id_number"]:
        fields["gender"] = ""  # taken from the ID number
    if level != CertificateLevel.NONE:
        first = max(2008, joined.year - 3)
        fields["certificate_year"] = rng.randrange(first, today.year + 1)
        fields["certificate_number"] = f"{fields['certificate_year']}0{rng.randrange(10**7):07d}"
    if rng.random() < 0.08:
        fields["status"] = WorkerStatus.LEFT
        fields["left_on"] = joined + (today - joined) // 2
    return fields


def seed(*, actor: User, county: Region | str) -> int:
    """The county's demo social workers, once; the number of workers written."""
    if not isinstance(county, Region):
        county = Region.objects.get(code=normalize_code(county))
    if SocialWorker.objects.within(county.subtree_range).exists():
        return 0
    sites = _sites(county)
    if not sites:
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        for index in range(WORKERS):
            site = sites[index % len(sites)]
            worker = worker_register(actor=actor, **_worker(rng, index, site, today))
            for title, provider in rng.sample(TRAININGS, rng.randrange(0, 4)):
                held_on = max(worker.joined_on, today - timedelta(days=rng.randrange(1, 720)))
                training_add(
                    actor=actor,
                    worker=worker,
                    title=title,
                    provider=provider,
                    held_on=held_on,
                    hours=Decimal(rng.choice((3, 6, 6, 12, 16, 24))),
                )
    return WORKERS
