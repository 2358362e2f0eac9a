"""Sample service work for the casework tests: 张三丰 of 科技园社区 (粤海街道), filed by the
粤海 station's manager, with one visit and one case (at 介入, with one service record)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_user
from wushe.accounts.models import Role
from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method
from wushe.casework.services import visit_record
from wushe.people.tests.filing import file_zhang

FINDINGS = "独居，腿脚不便，冰箱里没有食物"
PROBLEM = "跌倒后生活自理能力下降"


def days_ago(days: int):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def yuehai_worker(db):
    return make_user("yuehai_worker", "440305007000", Role.WORKER)


@pytest.fixture
def zhang(yuehai_manager):
    return file_zhang(yuehai_manager)


@pytest.fixture
def visit(yuehai_manager, zhang):
    return visit_record(
        actor=yuehai_manager,
        resident=zhang,
        visited_on=days_ago(3),
        findings=FINDINGS,
        needs_found="助餐送餐",
        next_visit_on=days_ago(3) + timedelta(days=30),
    )


def walk_to_intervention(actor, case):
    case_advance(actor=actor, case=case, assessment="需要照护安排")
    case_advance(actor=actor, case=case, plan="链接助餐与康复服务")
    case_advance(actor=actor, case=case)
    return case


@pytest.fixture
def case(yuehai_manager, zhang):
    return case_open(actor=yuehai_manager, resident=zhang, problem=PROBLEM, opened_on=days_ago(20))


@pytest.fixture
def served_case(yuehai_manager, case):
    walk_to_intervention(yuehai_manager, case)
    case_record_service(
        actor=yuehai_manager,
        case=case,
        served_on=days_ago(2),
        minutes=45,
        method=Method.HOME,
        notes="陪同复诊",
    )
    return case
