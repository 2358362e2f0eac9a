"""The referral world: a case of 粤海 (the sender's side, yuehai_manager), 蛇口's station (the
receiving side, shekou_worker), 南头's station (an unrelated station, nantou_manager) and the
rest of the cast. Another station's file of the same person is 李四娘 of 蛇口."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import SHEKOU, YUEHAI, make_site, make_user
from wushe.accounts.models import Role
from wushe.casework.case_services import case_open, case_record_service
from wushe.casework.cases import Method
from wushe.people.tests.filing import SHEKOU_VILLAGE, file_zhang, village
from wushe.referrals.services import referral_create
from wushe.regions.choices import SiteKind

NANTOU = "440305001000"  # 南头街道
NANTOU_VILLAGE = "440305001001"
SHEKOU_VILLAGE_2 = "440305005002"


@pytest.fixture
def stations(db):
    return {
        "yuehai": make_site(YUEHAI, SiteKind.STATION, "粤海街道社工站"),
        "shekou": make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站"),
        "nantou": make_site(NANTOU, SiteKind.STATION, "南头街道社工站"),
    }


@pytest.fixture
def nantou_manager(db):
    return make_user("nantou_manager", NANTOU, Role.MANAGER)


@pytest.fixture
def shekou_manager(db):
    return make_user("shekou_manager", SHEKOU, Role.MANAGER)


@pytest.fixture
def zhang(yuehai_manager, stations):
    return file_zhang(yuehai_manager, station=stations["yuehai"], address="科技园一路 8 号")


@pytest.fixture
def case(yuehai_manager, zhang):
    case = case_open(
        actor=yuehai_manager,
        resident=zhang,
        problem="独居，行动不便，需要长期照护",
        opened_on=timezone.localdate() - timedelta(days=30),
    )
    case_record_service(
        actor=yuehai_manager,
        case=case,
        served_on=timezone.localdate() - timedelta(days=3),
        minutes=45,
        method=Method.HOME,
        notes="上门了解照护需求",
    )
    return case


@pytest.fixture
def referral(yuehai_manager, case, stations):
    """粤海 refers 张三丰's case to 蛇口's station (he moves to live with his son there)."""
    return referral_create(
        actor=yuehai_manager,
        case=case,
        to_station=stations["shekou"],
        reason="随儿子搬到蛇口居住",
        asked_for="继续跟进照护服务",
    )


@pytest.fixture
def department_referral(yuehai_manager, case):
    return referral_create(
        actor=yuehai_manager,
        case=case,
        to_department="区残联",
        reason="需要办理残疾证",
        asked_for="评定残疾等级",
    )


def shekou_village(code: str = SHEKOU_VILLAGE):
    return village(code)
