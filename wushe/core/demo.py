"""The demo of ``wushe demo``: one user per role in 深圳市南山区 and a service network
filled through the services, with the demo administrator as the actor, so the demo's audit log
is as real as everything else.

Everything here is idempotent. Users are found by username (their passwords are reset on each
run); a site is created only if its region has no site of that kind yet, so a second run adds
nothing and leaves whatever was edited in the demo alone. Which communities get a room, and
their figures, come from a seeded random generator: every run picks the same ones.
"""

from __future__ import annotations

import random
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wushe.accounts.models import Role, User
from wushe.accounts.services import user_create
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.regions.choices import SIX_HAVES, SiteKind, SiteStatus
from wushe.regions.codes import Level, normalize_code
from wushe.regions.models import Region, Site
from wushe.regions.services import site_create

COUNTY = "440305"  # 深圳市南山区
PASSWORD_ENV = "WUSHE_DEMO_PASSWORD"


@dataclass(frozen=True)
class DemoUser:
    username: str
    region: str
    role: Role
    full_name: str
    created_by: str | None  # username of the creating administrator; None: the command line


# In creation order: each is created by an administrator made before it.
DEMO_USERS = [
    DemoUser("shenzhen-admin", "4403", Role.ADMIN, "周建国", None),
    DemoUser("nanshan-admin", "440305", Role.ADMIN, "李晓梅", "shenzhen-admin"),
    DemoUser("yuehai-manager", "440305007", Role.MANAGER, "陈志强", "nanshan-admin"),
    DemoUser("shekou-worker", "440305005", Role.WORKER, "张丽", "nanshan-admin"),
    DemoUser("nanshan-auditor", "440305", Role.AUDITOR, "刘文", "nanshan-admin"),
]
ACTOR = "nanshan-admin"  # the demo network is entered by the county's administrator


@dataclass
class DemoLogin:
    user: User
    password: str
    created: bool


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    sites_created: int = 0
    sites_existing: int = 0
    residents_created: int = 0
    records: dict[str, int] = field(default_factory=dict)  # empty when they were there already
    forces: dict[str, int] = field(default_factory=dict)  # the five forces and plan figures


def demo_password() -> str:
    """A password that passes the validators: letters and digits, no look-alikes."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        if any(c.isdigit() for c in candidate) and any(c.isalpha() for c in candidate):
            return candidate


def ensure_users(password: str | None = None) -> list[DemoLogin]:
    """Create the demo users, or reset the passwords of those that exist.

    ``password`` (``WUSHE_DEMO_PASSWORD``) is used for all of them; without it each gets a
    fresh random one. A weak password raises ValidationError({"password": …}).
    """
    logins = []
    by_name: dict[str, User] = {}
    for spec in DEMO_USERS:
        chosen = password or demo_password()
        region = Region.objects.get(code=normalize_code(spec.region))
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = user_create(
                actor=by_name.get(spec.created_by) if spec.created_by else None,
                username=spec.username,
                password=chosen,
                region=region,
                role=spec.role,
                full_name=spec.full_name,
            )
            logins.append(DemoLogin(user, chosen, created=True))
        else:
            _reset_password(user, chosen)
            logins.append(DemoLogin(user, chosen, created=False))
        by_name[spec.username] = user
    return logins


def _reset_password(user: User, password: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}, code="weak_password") from error
    with transaction.atomic():
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        # Passwords are never logged, not even masked: the entry says only that it changed.
        audit_record(actor=None, action=Action.UPDATE, obj=user, changes={"password": ["*", "*"]})
    _unlock(user.username)


def _unlock(username: str) -> None:
    """Clear failed-login lockouts, so a locked demo account can log in with its new password."""
    from axes.utils import reset

    reset(username=username)


# The street stations: status, operator (index into OPERATORS), opened. 前海合作区 has none.
STATIONS = {
    "440305001": (SiteStatus.OPERATING, 0, date(2021, 3, 18)),  # 南头街道
    "440305002": (SiteStatus.OPERATING, 1, date(2021, 4, 22)),  # 南山街道
    "440305003": (SiteStatus.SUSPENDED, 2, date(2021, 6, 1)),  # 沙河街道: moving premises
    "440305005": (SiteStatus.OPERATING, 3, date(2021, 5, 12)),  # 蛇口街道
    "440305006": (SiteStatus.OPERATING, 0, date(2021, 9, 8)),  # 招商街道
    "440305007": (SiteStatus.OPERATING, 1, date(2021, 3, 30)),  # 粤海街道
    "440305008": (SiteStatus.OPERATING, 2, date(2022, 1, 10)),  # 桃源街道
    "440305009": (SiteStatus.PLANNED, 3, None),  # 西丽街道
}
OPERATORS = [
    "深圳市南山区启航社会工作服务中心",
    "深圳市南山区同心社会工作服务社",
    "深圳市南山区益邻社会工作服务中心",
    "深圳市南山区善行社会工作服务中心",
]
STAFF = {"440305007": ["yuehai-manager"], "440305005": ["shekou-worker"]}
ROOM_SHARE = 0.7  # of the communities under a street with a station
NOTES = {
    "venue": ("独立场地，位于党群服务中心内", "场地已落实，正在装修"),
    "facilities": ("设有个案室、小组活动室和办公区", "活动室桌椅待配置"),
    "personnel": ("驻点社工 2 名，持证 1 名", "驻点社工招聘中"),
    "services": ("开展长者、儿童和困难群众服务", "服务计划待审定"),
    "procedures": ("个案、小组工作流程已上墙", "流程文件起草中"),
    "rules": ("值班、档案和督导制度齐全", "制度待完善"),
}


def build_network(*, actor: User) -> tuple[int, int]:
    """The county centre, the street stations and community rooms of 南山区, through
    ``site_create``. Returns (created, already there)."""
    rng = random.Random(int(COUNTY))
    users = {u.username: u for u in User.objects.filter(username__in=_staff_names())}
    county = Region.objects.get(code=normalize_code(COUNTY))
    created = existing = 0
    for fields, staff in _plan(county, rng, users):
        if Site.objects.filter(region=fields["region"], kind=fields["kind"]).exists():
            existing += 1
            continue
        site_create(actor=actor, staff=staff, **fields)
        created += 1
    return created, existing


def _staff_names() -> set[str]:
    return {name for names in STAFF.values() for name in names}


def _plan(county: Region, rng: random.Random, users: dict[str, User]):
    """(fields, staff) of every demo site, in a fixed order so the generator is replayable."""
    yield _centre(county), []
    townships = Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code")
    for township in townships:
        head = township.code[:9]
        if head not in STATIONS:
            continue
        status, operator, opened = STATIONS[head]
        staff = [users[name] for name in STAFF.get(head, []) if name in users]
        yield _station(township, status, OPERATORS[operator], opened, rng), staff
        villages = Region.objects.filter(parent=township, level=Level.VILLAGE).order_by("code")
        for village in villages:
            # Draw every time, even when skipping, so one community's choice never shifts another's.
            picked, figures = rng.random() < ROOM_SHARE, _room_figures(status, opened, rng)
            if picked:
                yield _room(village, OPERATORS[operator], figures), staff[:1]


def _centre(county: Region) -> dict:
    return {
        "region": county,
        "kind": SiteKind.CENTRE,
        "name": "南山区社会工作指导中心",
        "status": SiteStatus.OPERATING,
        "address": "深圳市南山区南山大道民政服务中心三楼",
        "opened_on": date(2020, 11, 16),
        "floor_area": Decimal("680.0"),
        "operator": "深圳市南山区民政局",
        **_six_haves(6, 0),
    }


def _station(township: Region, status: str, operator: str, opened, rng: random.Random) -> dict:
    met = {SiteStatus.OPERATING: rng.randint(4, 6), SiteStatus.SUSPENDED: 3}.get(status, 1)
    return {
        "region": township,
        "kind": SiteKind.STATION,
        "name": f"{township.name}社工站",
        "status": status,
        "address": f"深圳市南山区{township.name}党群服务中心二楼",
        "opened_on": opened,
        "floor_area": Decimal(rng.randrange(2000, 5200, 5)) / 10,
        "operator": operator,
        **_six_haves(met, 0 if status == SiteStatus.OPERATING else 1),
    }


def _room_figures(station_status: str, station_opened, rng: random.Random) -> dict:
    """Status, opened date, area and how many of the six are met, for one community's room."""
    if station_status == SiteStatus.PLANNED:
        status = SiteStatus.PLANNED
    elif station_status == SiteStatus.SUSPENDED:
        status = SiteStatus.SUSPENDED
    else:
        status = rng.choices(
            [SiteStatus.OPERATING, SiteStatus.PLANNED, SiteStatus.SUSPENDED], [0.85, 0.1, 0.05]
        )[0]
    opened = None
    if status != SiteStatus.PLANNED:
        opened = (station_opened or date(2022, 1, 1)) + timedelta(days=rng.randrange(30, 900))
    met = rng.randint(3, 6) if status == SiteStatus.OPERATING else rng.randint(0, 2)
    return {
        "status": status,
        "opened_on": opened,
        "floor_area": Decimal(rng.randrange(400, 1600, 5)) / 10,
        "met": met,
    }


def _room(village: Region, operator: str, figures: dict) -> dict:
    community = village.name.removesuffix("居委会").removesuffix("村委会")
    status = figures["status"]
    return {
        "region": village,
        "kind": SiteKind.ROOM,
        "name": f"{community}社工室",
        "status": status,
        "address": f"{community}党群服务中心一楼",
        "opened_on": figures["opened_on"],
        "floor_area": figures["floor_area"],
        "operator": operator,
        **_six_haves(figures["met"], 0 if status == SiteStatus.OPERATING else 1),
    }


def _six_haves(met: int, variant: int) -> dict:
    """The first ``met`` of the “六有” are present, each with a note. A missing item says what
    is pending (``variant`` 0) or is left blank (1), as a site not yet running often is."""
    fields = {}
    for index, (key, _label) in enumerate(SIX_HAVES):
        present = index < met
        fields[f"has_{key}"] = present
        fields[f"{key}_note"] = NOTES[key][0 if present else 1] if present or variant == 0 else ""
    return fields


def build(password: str | None = None, *, records: bool = True) -> DemoResult:
    """Users, network and records in one transaction: a failure leaves the database as it was."""
    with transaction.atomic():
        logins = ensure_users(password)
        actor = next(login.user for login in logins if login.user.username == ACTOR)
        created, existing = build_network(actor=actor)
        result = DemoResult(logins=logins, sites_created=created, sites_existing=existing)
        if records:
            _build_records(actor, result)
            _build_forces(actor, result, password)
    return result


def _build_forces(actor: User, result: DemoResult, password: str | None) -> None:
    """Organisations, social workers, volunteers, charity, needs, plan figures; the volunteer
    portal accounts get the demo password (or one fresh password between them)."""
    from wushe.core import demo_forces

    county = Region.objects.get(code=normalize_code(COUNTY))
    chosen = password or demo_password()
    result.forces = demo_forces.build_forces(actor=actor, county=county, password=chosen)
    for user in demo_forces.volunteer_logins():
        result.logins.append(DemoLogin(user, chosen, created=False))


def _build_records(actor: User, result: DemoResult) -> None:
    """Residents and service records at 南山区's scale (tests of the users and the network
    leave them out: they take seconds)."""
    from wushe.core import demo_people, demo_services
    from wushe.statistics.recompute import recompute

    county = Region.objects.get(code=normalize_code(COUNTY))
    filed = demo_people.file_residents(actor=actor, county=county)
    if not filed.ok:  # the generator's own sheet: a bad row is a bug here
        raise RuntimeError(f"demo residents refused: {list(filed.report)[:3]}")
    services = demo_services.build_services(actor=actor, county=county, today=timezone.localdate())
    if services.created:
        recompute()  # the records were written in bulk, past the services' tallies
    result.residents_created, result.records = filed.created, services.counts
