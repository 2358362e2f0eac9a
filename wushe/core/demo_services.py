"""The demo's service records at 南山区's published scale: about 18,000 home visits and 60,000
person-times of service (visits, case records, group-session attendance, activity participants)
over the two years before the day the demo is built, by the stations that operate.

Why bulk writes here, unlike the rest of the demo: 60,000 records through the one-by-one
services would make ``wushe demo`` take minutes on SQLite. The generator writes records that
satisfy the same rules the services check (stages with their fields, records within a case's
dates, attendance by members), then rebuilds the statistics tallies from the records and writes
one audit entry per kind of record, naming how many the demo generator wrote. It runs once:
if the county already has visits, nothing is added.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from wushe.accounts.models import Role, User
from wushe.accounts.services import user_create
from wushe.activities.models import Activity
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.casework.cases import Method, Stage
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.core.service_areas import ServiceArea
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.people.models import Resident
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region, Site

SEED = 20_261_001
VISITS = 18_000
CASES = 320
GROUPS_PER_STATION = 12
ACTIVITIES_PER_STATION = 100
DAYS = 730  # the two years before the build day

FINDINGS = [
    "老人精神状态良好，居家环境整洁。",
    "独居，饮食规律，近期血压偏高，已提醒按时服药。",
    "家中无人照料，需链接助餐服务。",
    "儿童学习情况一般，监护人外出务工，需课业辅导。",
    "居住环境存在安全隐患（电线老化），已联系社区协调维修。",
    "情绪低落，与子女联系少，建议开展心理疏导。",
    "低保待遇按时发放，生活基本稳定。",
    "行动不便，希望有人陪同就医。",
]
NEEDS = ["", "", "助餐送餐", "陪同就医", "课业辅导", "心理疏导", "适老化改造", "智能设备教学"]
PROBLEMS = [
    "独居老人，近期跌倒后生活自理能力下降，需要照护安排。",
    "留守儿童厌学，与监护人沟通困难。",
    "家庭矛盾突出，存在情绪问题。",
    "重度残疾，家庭照护压力大，需要资源链接。",
    "刑满释放后就业困难，社会融入不足。",
]


GROUPS = [
    ("长者健康生活小组", ServiceArea.ELDERLY, "提升长者慢病自我管理能力"),
    ("四点半课堂学习小组", ServiceArea.CHILDREN, "改善留守儿童学习习惯"),
    ("照顾者减压小组", ServiceArea.DISABILITY, "缓解残疾人家庭照顾者压力"),
    ("智能手机学习小组", ServiceArea.ELDERLY, "帮助老人使用健康码和移动支付"),
    ("亲子沟通小组", ServiceArea.FAMILY, "增进亲子沟通"),
    ("情绪支持小组", ServiceArea.MENTAL_HEALTH, "建立同伴支持网络"),
]
ACTIVITIES = [
    ("重阳敬老游园会", ServiceArea.ELDERLY),
    ("防骗反诈宣传", ServiceArea.COMMUNITY),
    ("义诊进社区", ServiceArea.ELDERLY),
    ("暑期儿童安全教育", ServiceArea.CHILDREN),
    ("邻里节", ServiceArea.COMMUNITY),
    ("应急演练", ServiceArea.EMERGENCY),
    ("政策宣讲会", ServiceArea.ASSISTANCE),
    ("就业招聘会", ServiceArea.EMPLOYMENT),
]
PLAZA = "社区广场"
VOLUNTEERS = ["李华", "王芳", "陈明", "赵敏", "刘洋", "黄丽", "周杰", "吴静"]


@dataclass
class ServiceResult:
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def station_workers(*, actor: User, county: Region) -> dict[str, list[User]]:
    """Workers of each operating or suspended station, by township code. A station with no
    demo user gets one worker account (its password is random and not printed: it exists so
    that records have a worker)."""
    workers: dict[str, list[User]] = {}
    stations = (
        Site.objects.within(county.subtree_range)
        .filter(
            kind=SiteKind.STATION,
            status__in=[SiteStatus.OPERATING, SiteStatus.SUSPENDED],
        )
        .order_by("region_id")
    )
    for station in stations:
        code = station.region_id
        staff = list(User.objects.filter(region_id=code, role__in=[Role.WORKER, Role.MANAGER]))
        if not staff:
            from wushe.core.demo import demo_password

            staff = [
                user_create(
                    actor=actor,
                    username=f"worker-{code[6:9]}",
                    password=demo_password(),
                    region=station.region,
                    role=Role.WORKER,
                    full_name=f"{station.region.name}社工",
                )
            ]
        workers[code] = staff
    return workers


def _day(rng: random.Random, today: date, earliest: date | None = None) -> date:
    start = max(earliest or today - timedelta(days=DAYS), today - timedelta(days=DAYS))
    span = (today - start).days
    return start + timedelta(days=rng.randrange(span + 1)) if span > 0 else today


def _visits(rng, today, residents, workers) -> list[HomeVisit]:
    visits = []
    for _ in range(VISITS):
        resident = rng.choice(residents)
        staff = workers[resident.region_id[:9] + "000"]
        visited_on = _day(rng, today)
        visits.append(
            HomeVisit(
                resident=resident,
                visited_on=visited_on,
                findings=rng.choice(FINDINGS),
                needs_found=rng.choice(NEEDS),
                next_visit_on=visited_on + timedelta(days=rng.choice([30, 60, 90])),
                region_code=resident.region_id,
                recorded_by=staff[0],
            )
        )
    HomeVisit.objects.bulk_create(visits, batch_size=2_000)
    through = HomeVisit.workers.through
    through.objects.bulk_create(
        (through(homevisit_id=visit.pk, user_id=visit.recorded_by_id) for visit in visits),
        batch_size=5_000,
    )
    return visits


def _cases(rng, today, residents, workers, supervisors) -> tuple[list[Case], list[CaseRecord]]:
    cases, records = [], []
    stages = list(Stage)
    for _ in range(CASES):
        resident = rng.choice(residents)
        township = resident.region_id[:9] + "000"
        worker = rng.choice(workers[township])
        opened_on = _day(rng, today)
        stage = rng.choices(stages, [1, 1, 2, 4, 2, 6])[0]
        index = stages.index(stage)
        case = Case(
            resident=resident,
            worker=worker,
            stage=stage,
            opened_on=opened_on,
            problem=rng.choice(PROBLEMS),
            assessment="需求评估：生活照料与情感支持。" if index >= 1 else "",
            plan="每两周面谈一次，链接社区资源。" if index >= 2 else "",
            evaluation="目标基本达成，服务对象满意。" if index >= 4 else "",
            region_code=resident.region_id,
        )
        served = sorted(_day(rng, today, opened_on) for _ in range(rng.randrange(3, 14)))
        if index < 3:
            served = []  # services start with the intervention
        if stage == Stage.CLOSED:
            case.closed_on = max([opened_on, *served])
            case.closing_summary = "问题已缓解，转为常规走访。"
            case.signed_off_by = supervisors.get(township, worker)
        cases.append(case)
        records.extend(
            CaseRecord(
                case=case,
                served_on=day,
                minutes=rng.choice([30, 45, 60, 90, 120]),
                method=rng.choice(Method.values),
                notes="跟进服务计划执行情况。",
                worker=worker,
                region_code=case.region_code,
            )
            for day in served
        )
    Case.objects.bulk_create(cases, batch_size=1_000)
    for record in records:
        record.case_id = record.case.pk
    CaseRecord.objects.bulk_create(records, batch_size=2_000)
    return cases, records


def _groups(rng, today, stations, residents_by_township, workers) -> tuple[list, list, list]:
    groups, members, sessions, attendance = [], [], [], []
    for station in stations:
        people = residents_by_township.get(station.region_id, [])
        if len(people) < 12:
            continue
        for _ in range(GROUPS_PER_STATION):
            name, area, goal = rng.choice(GROUPS)
            started_on = _day(rng, today - timedelta(days=60))
            planned = rng.randrange(5, 9)
            group = Group(
                name=name,
                goal=goal,
                service_area=area,
                station=station,
                leader=rng.choice(workers[station.region_id]),
                started_on=started_on,
                planned_sessions=planned,
                region_code=station.region_id,
                created_by=workers[station.region_id][0],
            )
            chosen = rng.sample(people, rng.randrange(8, 13))
            group_members = [
                GroupMember(
                    group=group, resident=r, joined_on=started_on, region_code=group.region_code
                )
                for r in chosen
            ]
            for number in range(1, planned + 1):
                session = GroupSession(
                    group=group,
                    number=number,
                    held_on=min(started_on + timedelta(days=7 * (number - 1)), today),
                    topic=f"第{number}节",
                    region_code=group.region_code,
                    recorded_by=group.leader,
                )
                sessions.append(session)
                attendance.append((session, [m for m in group_members if rng.random() < 0.85]))
            groups.append(group)
            members.extend(group_members)
    Group.objects.bulk_create(groups)
    for row in (*members, *sessions):
        row.group_id = row.group.pk
    GroupMember.objects.bulk_create(members, batch_size=2_000)
    GroupSession.objects.bulk_create(sessions, batch_size=2_000)
    through = GroupSession.attendees.through
    present = [
        through(groupsession_id=session.pk, groupmember_id=member.pk)
        for session, attended in attendance
        for member in attended
    ]
    through.objects.bulk_create(present, batch_size=5_000)
    return groups, sessions, present


def _activities(rng, today, stations, residents_by_village, workers) -> tuple[list, list]:
    activities, taking_part = [], []
    for station in stations:
        villages = [code for code in residents_by_village if code[:9] == station.region_id[:9]]
        for _ in range(ACTIVITIES_PER_STATION):
            theme, area = rng.choice(ACTIVITIES)
            where = rng.choice([station.region_id, *villages])
            people = residents_by_village.get(where, [])
            named = rng.sample(people, min(len(people), rng.randrange(3, 16)))
            helpers = rng.sample(VOLUNTEERS, rng.randrange(0, 5))
            activity = Activity(
                held_on=_day(rng, today),
                place=f"{station.region.name}党群服务中心"
                if where == station.region_id
                else "社区广场",
                theme=theme,
                service_area=area,
                station=station,
                region_code=where,
                anonymous_count=rng.randrange(15, 75),
                volunteer_names=helpers,
                volunteer_count=len(helpers),
                recorded_by=workers[station.region_id][0],
            )
            activities.append(activity)
            taking_part.append((activity, named))
    Activity.objects.bulk_create(activities, batch_size=1_000)
    through = Activity.participants.through
    rows = [
        through(activity_id=activity.pk, resident_id=resident.pk)
        for activity, named in taking_part
        for resident in named
    ]
    through.objects.bulk_create(rows, batch_size=5_000)
    return activities, rows


def _audit(actor: User, county: Region, model, count: int) -> None:
    meta = model._meta
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type=meta.label_lower,
        object_repr=f"demo generator: {count} {meta.verbose_name_plural}",
        region_code=county.code,
        changes={"count": [None, str(count)]},
    )


def build_services(*, actor: User, county: Region, today: date) -> ServiceResult:
    """The county's service records, once; then the statistics tallies rebuilt."""
    if HomeVisit.objects.within(county.subtree_range).exists():
        return ServiceResult(created=False)
    rng = random.Random(SEED)
    with transaction.atomic():
        workers = station_workers(actor=actor, county=county)
        supervisors = {
            code: next((u for u in staff if u.role == Role.MANAGER), actor)
            for code, staff in workers.items()
        }
        residents = list(
            Resident.objects.within(county.subtree_range).only("pk", "region_id").order_by("pk")
        )
        served = [r for r in residents if r.region_id[:9] + "000" in workers]
        visits = _visits(rng, today, served, workers)
        cases, records = _cases(rng, today, served, workers, supervisors)
        stations = [
            site
            for site in Site.objects.within(county.subtree_range)
            .filter(kind=SiteKind.STATION)
            .select_related("region")
            .order_by("region_id")
            if site.region_id in workers
        ]
        by_township: dict[str, list[Resident]] = {}
        by_village: dict[str, list[Resident]] = {}
        for resident in served:
            by_township.setdefault(resident.region_id[:9] + "000", []).append(resident)
            by_village.setdefault(resident.region_id, []).append(resident)
        groups, sessions, _present = _groups(rng, today, stations, by_township, workers)
        activities, _taking_part = _activities(rng, today, stations, by_village, workers)
        written = {
            HomeVisit: visits,
            Case: cases,
            CaseRecord: records,
            Group: groups,
            GroupSession: sessions,
            Activity: activities,
        }
        for model, rows in written.items():
            _audit(actor, county, model, len(rows))
        counts = {model._meta.model_name: len(rows) for model, rows in written.items()}
    return ServiceResult(created=True, counts=counts)
