"""Demo volunteers for ``wushe demo``: about 600 volunteers across the county's villages, with
skills, weekly time, a few teams, service hours (some old enough to expire), a few redemptions,
and three portal accounts. The volunteers and their ledger are written in bulk, with every field
the registration and ledger services would derive (numbers, hashes, points by the rule in force)
and one audit entry; the teams and portal accounts go through the services.

Idempotent: no volunteer is added when the county already has some; the portal accounts'
passwords are set to the demo password on every run, as the demo's staff accounts are. Random
choices come from a seeded generator: every run on an empty database writes the same.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.people.identity import make_id_number, parse_id_number
from wushe.people.models import Resident
from wushe.people.phones import parse_phone
from wushe.people.services import id_hash_of, name_keys, phone_hash_of
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region
from wushe.volunteers.choices import PARTS, EntryKind, Tier
from wushe.volunteers.models import LedgerEntry, Skill, Volunteer
from wushe.volunteers.rules import RuleBook
from wushe.volunteers.services import volunteer_invite
from wushe.volunteers.team_services import team_create

SEED = 20260611
VOLUNTEERS = 600
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰文辉晓梅海燕春"
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "186", "188")
# 南山区, roughly: volunteers are placed near their village on the map.
LATITUDES = (22.48, 22.60)
LONGITUDES = (113.88, 113.99)
# The demo's portal accounts: (username, index of the volunteer who gets it).
PORTAL_ACCOUNTS = (("yuehai-volunteer", 0), ("shekou-volunteer", 1), ("nanshan-volunteer", 2))


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def _week(rng: random.Random) -> int:
    """A few parts of a few days: weekday evenings, weekend days, or a free retiree's week."""
    mask = 0
    for day in rng.sample(range(7), rng.randint(1, 5)):
        for part in rng.sample(range(PARTS), rng.randint(1, 2)):
            mask |= 1 << (day * PARTS + part)
    return mask


def _volunteer(rng: random.Random, actor: User, village: Region, skills: list[Skill], index: int):
    """A new volunteer (unsaved) with every derived field the registration service would set,
    and the skills to give them."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    identity = parse_id_number(make_id_number("440305", born, 100 + index % 900))
    phone = parse_phone(rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}")
    name = _name(rng)
    pinyin, initials = name_keys(name)
    volunteer = Volunteer(
        name=name,
        name_pinyin=pinyin,
        name_initials=initials,
        gender=identity.gender,
        birth_date=identity.birth_date,
        id_number=identity.number,
        id_hash=id_hash_of(identity.number),
        phone=phone,
        phone_hash=phone_hash_of(phone),
        region=village,
        latitude=Decimal(f"{rng.uniform(*LATITUDES):.6f}"),
        longitude=Decimal(f"{rng.uniform(*LONGITUDES):.6f}"),
        availability=_week(rng),
        capacity=rng.randint(1, 4),
        hours_per_week=rng.choice((None, 2, 4, 4, 6, 8)),
        radius_km=Decimal(rng.choice((2, 3, 3, 5, 8))),
        registered_by=actor,
    )
    return volunteer, rng.sample(skills, rng.randint(1, 3))


def _history(
    rng: random.Random, actor: User, volunteer: Volunteer, skills: list[Skill], rule, today: date
) -> list[LedgerEntry]:
    """A few services over the last 30 months (older points expire), sometimes a redemption;
    points by the rule in force, as ``service_record`` computes them."""
    entries = []
    for _ in range(rng.choice((0, 1, 1, 2, 3, 4))):
        hours = Decimal(str(rng.choice((1, 1.5, 2, 2, 3, 4))))
        tier = rng.choice((Tier.BASIC, Tier.BASIC, Tier.SKILLED, Tier.PROFESSIONAL))
        entries.append(
            LedgerEntry(
                volunteer=volunteer,
                kind=EntryKind.EARNED,
                hours=hours,
                points=min(rule.points_for(hours, tier), rule.cap),
                tier=tier,
                content=rng.choice(skills).name,
                occurred_on=today - timedelta(days=rng.randrange(1, 900)),
                created_by=actor,
            )
        )
    earned = sum(entry.points for entry in entries)
    if earned >= 20 and rng.random() < 0.2:
        entries.append(
            LedgerEntry(
                volunteer=volunteer,
                kind=EntryKind.REDEEMED,
                points=-rng.randint(10, earned // 2 + 10),
                content=rng.choice(("兑换大米一袋", "兑换洗衣液", "兑换理发服务")),
                occurred_on=today - timedelta(days=rng.randrange(0, 30)),
                created_by=actor,
            )
        )
    return entries


def _accounts(actor: User, volunteers: list[Volunteer], password: str) -> None:
    for username, index in PORTAL_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None and index < len(volunteers) and volunteers[index].user_id is None:
            volunteer_invite(
                actor=actor, volunteer=volunteers[index], username=username, password=password
            )
        elif user is not None and user.is_volunteer:
            user.set_password(password)
            user.save(update_fields=["password"])


def seed(*, actor: User, county: Region | str, password: str) -> int:
    """The county's demo volunteers, once; the number registered. ``password`` is the demo
    password given to the three portal accounts (yuehai-, shekou-, nanshan-volunteer)."""
    if not isinstance(county, Region):
        county = Region.objects.get(code=normalize_code(county))
    existing = Volunteer.objects.within(county.subtree_range)
    if existing.exists():
        _accounts(actor, list(existing.order_by("id")[:3]), password)
        return 0
    rng = random.Random(SEED)
    today = timezone.localdate()
    villages = list(
        Region.objects.within(county.subtree_range).filter(level=Level.VILLAGE).order_by("code")
    )
    skills = list(Skill.objects.filter(active=True))
    book = RuleBook(v.code for v in villages)
    # The three portal volunteers first: one in 粤海街道, one in 蛇口街道, one elsewhere.
    first = [
        next((v for v in villages if v.code.startswith(prefix)), villages[0])
        for prefix in ("440305007", "440305005", "440305006")
    ]
    rows = [
        _volunteer(rng, actor, first[i] if i < len(first) else rng.choice(villages), skills, i)
        for i in range(VOLUNTEERS)
    ]
    sequence: Counter[str] = Counter()
    for volunteer, _skills in rows:
        sequence[volunteer.region_id] += 1
        volunteer.number = f"V{volunteer.region_id}{sequence[volunteer.region_id]:05d}"
    residents = dict(
        Resident.objects.filter(id_hash__in=[v.id_hash for v, _s in rows]).values_list(
            "id_hash", "pk"
        )
    )
    for volunteer, _skills in rows:
        volunteer.resident_id = residents.get(volunteer.id_hash)
    with transaction.atomic():
        volunteers = Volunteer.objects.bulk_create([v for v, _s in rows])
        Volunteer.skills.through.objects.bulk_create(
            Volunteer.skills.through(volunteer_id=v.pk, skill_id=skill.pk)
            for v, held in rows
            for skill in held
        )
        entries = [
            entry
            for volunteer, held in rows
            for entry in _history(
                rng, actor, volunteer, held, book.points_for(volunteer.region_id), today
            )
        ]
        LedgerEntry.objects.bulk_create(entries)
        # Written in bulk for speed (a few seconds through the services one by one): one
        # audit entry says what the demo added.
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="volunteers.volunteer",
            object_repr="demo",
            region_code=county.code,
            changes={"demo": [None, f"{len(volunteers)} volunteers, {len(entries)} entries"]},
        )
        for village in sorted({v.region for v in volunteers[:60]}, key=lambda r: r.code)[:5]:
            members = [v for v in volunteers if v.region_id == village.code][:12]
            team_create(
                actor=actor,
                name=f"{village.name}志愿服务队",
                region=village,
                members=members,
                leader=members[0],
            )
        _accounts(actor, volunteers, password)
    return len(volunteers)
