"""The built-in set: data elements, the plan indicators of the 14th Five-Year Plans (十四五规划)
quoted in the seeds' newspaper pages, and their provincial targets, each with its source.

``seed_definitions`` (run by the data migration and by ``wushe indicators seed``) creates the
elements and indicators that are missing and leaves existing ones as they are (an
administrator may have corrected a name); ``seed_targets`` adds the provinces' targets for
the provinces whose regions are loaded. Both are idempotent.

Hubei's "18 per 10,000 urban residents" follows the issue's definition: the social workers
of the records (the workers app's active workers) over the entered 城镇常住人口. The newspaper
page quoting the plan says 社区工作者 (community workers) there; the indicator's source says
so. The certified share is that of *urban community workers*, over entered figures, as the
plan words it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from wushe.regions.codes import ROOT_CODE

R, E = "records", "entered"
STOCK, FLOW = "stock", "flow"

# code, Chinese name, English name, unit, source, period kind
ELEMENTS: list[tuple[str, str, str, str, str, str]] = [
    ("townships", "乡镇(街道)数", "Townships", "个", R, STOCK),
    ("villages", "村(社区)数", "Villages and communities", "个", R, STOCK),
    (
        "stations_operating",
        "运营中的乡镇(街道)社工站",
        "Operating township stations",
        "个",
        R,
        STOCK,
    ),
    ("rooms_operating", "运营中的村(社区)社工室", "Operating village rooms", "个", R, STOCK),
    ("centres_operating", "运营中的县级指导中心", "Operating county centres", "个", R, STOCK),
    ("visits", "入户走访次数", "Home visits", "次", R, FLOW),
    ("cases_opened", "新接个案", "Cases opened", "个", R, FLOW),
    ("cases_closed", "结案", "Cases closed", "个", R, FLOW),
    ("case_records", "个案服务次数", "Case service records", "次", R, FLOW),
    ("groups", "小组数", "Groups started", "个", R, FLOW),
    ("group_sessions", "小组节数", "Group sessions", "节", R, FLOW),
    ("activities", "社区活动场次", "Community activities", "场", R, FLOW),
    ("person_times", "服务人次", "Person-times served", "人次", R, FLOW),
    ("residents_filed", "建档人数", "Filed residents", "人", R, STOCK),
    ("residents_dibao", "建档人数·低保", "Filed: minimum subsistence", "人", R, STOCK),
    ("residents_dibian", "建档人数·低边", "Filed: near-subsistence", "人", R, STOCK),
    ("residents_tekun", "建档人数·特困", "Filed: extreme poverty", "人", R, STOCK),
    ("residents_alone", "建档人数·独居老人", "Filed: elderly living alone", "人", R, STOCK),
    ("residents_empty_nest", "建档人数·空巢老人", "Filed: empty-nest elderly", "人", R, STOCK),
    ("residents_left_behind", "建档人数·留守儿童", "Filed: left-behind children", "人", R, STOCK),
    (
        "residents_child_difficulty",
        "建档人数·困境儿童",
        "Filed: children in difficulty",
        "人",
        R,
        STOCK,
    ),
    ("residents_orphan", "建档人数·孤儿", "Filed: orphans", "人", R, STOCK),
    ("residents_disabled", "建档人数·残疾人", "Filed: persons with disability", "人", R, STOCK),
    ("residents_vagrant", "建档人数·流浪乞讨", "Filed: vagrants and beggars", "人", R, STOCK),
    ("residents_correction", "建档人数·社区矫正", "Filed: community correction", "人", R, STOCK),
    ("residents_other", "建档人数·其他", "Filed: other", "人", R, STOCK),
    ("social_workers", "社会工作者数", "Social workers", "人", R, STOCK),
    ("social_workers_certified", "持证社会工作者数", "Certified social workers", "人", R, STOCK),
    ("volunteers", "注册志愿者数", "Registered volunteers", "人", R, STOCK),
    ("volunteer_hours", "志愿服务时长", "Volunteer service hours", "小时", R, FLOW),
    ("fund_balance", "社区基金余额", "Community fund balance", "元", R, STOCK),
    ("resident_population", "常住人口", "Resident population", "人", E, STOCK),
    ("urban_population", "城镇常住人口", "Urban resident population", "人", E, STOCK),
    ("elderly_60", "60岁以上老年人口", "Population aged 60 or over", "人", E, STOCK),
    ("households", "户数", "Households", "户", E, STOCK),
    ("care_home_beds", "养老机构床位数", "Care-home beds", "张", E, STOCK),
    (
        "community_facility_area",
        "社区综合服务设施面积",
        "Community service facility area",
        "m²",
        E,
        STOCK,
    ),
    (
        "community_service_facilities",
        "社区综合服务设施数",
        "Community service facilities",
        "个",
        E,
        STOCK,
    ),
    (
        "facilities_with_volunteer_point",
        "设有志愿服务站点的社区综合服务设施数",
        "Facilities with a volunteer service point",
        "个",
        E,
        STOCK,
    ),
    ("community_workers", "社区工作者数", "Community workers", "人", E, STOCK),
    ("urban_community_workers", "城市社区工作者数", "Urban community workers", "人", E, STOCK),
    (
        "urban_community_workers_certified",
        "持证城市社区工作者数",
        "Certified urban community workers",
        "人",
        E,
        STOCK,
    ),
    (
        "social_work_professionals",
        "社会工作专业人才总量",
        "Social work professionals",
        "人",
        E,
        STOCK,
    ),
    (
        "social_work_professionals_certified",
        "持证社会工作专业人才",
        "Certified social work professionals",
        "人",
        E,
        STOCK,
    ),
]

GD = "《广东省城乡社区服务体系建设“十四五”规划》"
GX = "《广西民政事业发展“十四五”规划》"
HN = "《河南省“十四五”民政事业发展规划》"
HB = "《湖北省城乡社区服务体系建设“十四五”规划》"
GZ = "《贵州省乡镇（街道）社会工作和志愿服务站项目实施方案（试行）》"


# Hubei's per-10,000 indicator; before this definition it counted entered community workers
# under the code below (migration 0003 turns such a database's row into this one).
SOCIAL_WORKERS_PER_10K = "social_workers_per_10k_urban"
FORMER_COMMUNITY_WORKERS_PER_10K = "community_workers_per_10k_urban"


@dataclass(frozen=True)
class Shipped:
    code: str
    name_zh: str
    name_en: str
    numerator: str
    denominator: str | None
    factor: int
    unit: str
    source: str
    description: str = ""


INDICATORS: list[Shipped] = [
    Shipped(
        "station_coverage",
        "乡镇(街道)社工站覆盖率",
        "Township station coverage",
        "stations_operating",
        "townships",
        100,
        "%",
        f"{GD}；{GX}；{HN}；{GZ}",
        "运营中的乡镇(街道)社工站数 ÷ 乡镇(街道)数 × 100%。",
    ),
    Shipped(
        "room_coverage",
        "村(社区)社工室覆盖率",
        "Village room coverage",
        "rooms_operating",
        "villages",
        100,
        "%",
        "",
        "运营中的村(社区)社会工作室数 ÷ 村(社区)数 × 100%。",
    ),
    Shipped(
        SOCIAL_WORKERS_PER_10K,
        "每万名城镇常住人口拥有社会工作者",
        "Social workers per 10,000 urban residents",
        "social_workers",
        "urban_population",
        10000,
        "人/万人",
        f"{HB}。注：报道所引规划原文为“每万名城镇常住人口拥有社区工作者达到 18 人”；"
        "本指标按 wushe 的定义计社会工作者（社会工作者库中在岗的社工）。",
        "在岗社会工作者数 ÷ 城镇常住人口 × 10000。",
    ),
    Shipped(
        "urban_community_workers_certified_share",
        "城市社区工作者持证比例",
        "Certified share of urban community workers",
        "urban_community_workers_certified",
        "urban_community_workers",
        100,
        "%",
        HB,
        "持有社会工作者职业资格(水平)证书的城市社区工作者 ÷ 城市社区工作者 × 100%。",
    ),
    Shipped(
        "social_workers_per_1000_elderly",
        "每千名老年人拥有社会工作者",
        "Social workers per 1,000 elderly",
        "social_workers",
        "elderly_60",
        1000,
        "人/千名老年人",
        HN,
    ),
    Shipped(
        "social_workers_per_100_beds",
        "每百张养老机构床位拥有社会工作者",
        "Social workers per 100 care-home beds",
        "social_workers",
        "care_home_beds",
        100,
        "人/百张床位",
        HN,
    ),
    Shipped(
        "volunteer_point_share",
        "志愿服务站点在社区综合服务设施中的覆盖率",
        "Community service facilities with a volunteer point",
        "facilities_with_volunteer_point",
        "community_service_facilities",
        100,
        "%",
        GX,
    ),
    Shipped(
        "facility_area_per_100_households",
        "每百户居民拥有社区综合服务设施面积",
        "Community service facility area per 100 households",
        "community_facility_area",
        "households",
        100,
        "m²/百户",
        f"{GD}；{HB}",
    ),
    Shipped(
        "social_work_professionals",
        "社会工作专业人才总量",
        "Social work professionals",
        "social_work_professionals",
        None,
        1,
        "人",
        f"{GX}；{HN}；{HB}",
    ),
    Shipped(
        "social_work_professionals_certified",
        "持证社会工作专业人才",
        "Certified social work professionals",
        "social_work_professionals_certified",
        None,
        1,
        "人",
        HN,
    ),
]

GUANGDONG, GUANGXI, HENAN, GUIZHOU, HUBEI = (
    f"{head}0000000000" for head in ("44", "45", "41", "52", "42")
)

# region, indicator, by the end of year, value, source (the plan's own words), base year, base
TARGETS: list[tuple[str, str, int, int, str, int | None, int | None]] = [
    (
        GUANGDONG,
        "station_coverage",
        2022,
        100,
        f"{GD}：到 2022 年年底前全省村(居)建成社会工作服务站(点)100%覆盖",
        None,
        None,
    ),
    (
        GUANGXI,
        "station_coverage",
        2025,
        100,
        f"{GX}：实现全区乡镇(街道)社会工作服务站全覆盖",
        None,
        None,
    ),
    (HENAN, "station_coverage", 2025, 100, f"{HN}：乡镇(街道)社会工作服务站100%全覆盖", None, None),
    (
        GUIZHOU,
        "station_coverage",
        2025,
        100,
        f"{GZ}：力争到“十四五”末实现全省乡镇（街道）社工站全覆盖",
        None,
        None,
    ),
    (
        HUBEI,
        SOCIAL_WORKERS_PER_10K,
        2025,
        18,
        f"{HB}：每万名城镇常住人口拥有社区工作者达到 18 人",
        None,
        None,
    ),
    (
        HUBEI,
        "urban_community_workers_certified_share",
        2025,
        50,
        f"{HB}：城市社区工作者持有社会工作者职业水平证书比例达到50%以上",
        None,
        None,
    ),
    (
        HENAN,
        "social_workers_per_1000_elderly",
        2025,
        1,
        f"{HN}：实现每千名老年人、每百张养老机构床位均拥有1名社会工作者",
        None,
        None,
    ),
    (
        HENAN,
        "social_workers_per_100_beds",
        2025,
        1,
        f"{HN}：实现每千名老年人、每百张养老机构床位均拥有1名社会工作者",
        None,
        None,
    ),
    (
        GUANGXI,
        "volunteer_point_share",
        2025,
        80,
        f"{GX}：志愿服务站点在社区综合服务设施中的覆盖率达到80%",
        None,
        None,
    ),
    (
        GUANGDONG,
        "facility_area_per_100_households",
        2025,
        32,
        f"{GD}：每百户居民拥有社区综合服务设施面积达到 32 平方米",
        None,
        None,
    ),
    (
        HUBEI,
        "facility_area_per_100_households",
        2025,
        30,
        f"{HB}：每百户居民拥有社区综合服务设施面积超过 30平方米",
        None,
        None,
    ),
    (
        GUANGXI,
        "social_work_professionals",
        2025,
        50000,
        f"{GX}：全区社会工作专业人才达到5万人",
        None,
        None,
    ),
    (
        HENAN,
        "social_work_professionals",
        2025,
        50000,
        f"{HN}：全省社会工作专业人才达到5万人（“十三五”末三万多人）",
        2020,
        30000,
    ),
    (
        HUBEI,
        "social_work_professionals",
        2025,
        80000,
        f"{HB}：力争全省社会工作专业人才达到 8 万人",
        None,
        None,
    ),
    (
        HENAN,
        "social_work_professionals_certified",
        2025,
        20000,
        f"{HN}：持证社会工作专业人才达到2万人",
        None,
        None,
    ),
]


@dataclass
class Seeded:
    elements: int = 0
    indicators: int = 0
    targets: int = 0
    skipped_targets: int = 0  # their province is not loaded


def seed_definitions(element_model, indicator_model) -> Seeded:
    """Create the missing built-in elements and indicators (models passed in, so that the
    data migration can use its historical ones)."""
    done = Seeded()
    for code, name_zh, name_en, unit, source, period_kind in ELEMENTS:
        _obj, created = element_model.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "unit": unit,
                "source": source,
                "period_kind": period_kind,
                "built_in": True,
                "region_code": ROOT_CODE,
            },
        )
        done.elements += created
    for position, shipped in enumerate(INDICATORS, start=1):
        _obj, created = indicator_model.objects.get_or_create(
            code=shipped.code,
            defaults={
                "name_zh": shipped.name_zh,
                "name_en": shipped.name_en,
                "numerator_id": shipped.numerator,
                "denominator_id": shipped.denominator,
                "factor": Decimal(shipped.factor),
                "unit": shipped.unit,
                "source": shipped.source,
                "description": shipped.description,
                "built_in": True,
                "position": position * 10,
                "region_code": ROOT_CODE,
            },
        )
        done.indicators += created
    return done


def seed_targets() -> Seeded:
    """Add the provinces' targets that are missing, for the provinces that are loaded."""
    from wushe.indicators.models import Indicator, Target
    from wushe.regions.models import Region

    done = Seeded()
    loaded = set(Region.objects.filter(code__in=[t[0] for t in TARGETS]).values_list("code"))
    loaded = {code for (code,) in loaded}
    indicators = {one.code: one for one in Indicator.objects.filter(built_in=True)}
    for region, code, year, value, source, base_year, base_value in TARGETS:
        if region not in loaded or code not in indicators:
            done.skipped_targets += 1
            continue
        _obj, created = Target.objects.get_or_create(
            region_id=region,
            indicator=indicators[code],
            year=year,
            defaults={
                "value": Decimal(value),
                "source": source,
                "base_year": base_year,
                "base_value": None if base_value is None else Decimal(base_value),
            },
        )
        done.targets += created
    return done


def seed() -> Seeded:
    from wushe.indicators.models import DataElement, Indicator

    done = seed_definitions(DataElement, Indicator)
    targets = seed_targets()
    done.targets, done.skipped_targets = targets.targets, targets.skipped_targets
    return done
