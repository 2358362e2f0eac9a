from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method, Stage
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(yuehai_manager):
    return resident_file(
        actor=yuehai_manager,
        name="李四",
        id_number=make_id_number("440305", date(1980, 2, 2), 31),
        region=Region.objects.get(code=YUEHAI_VILLAGE),
    )


@pytest.fixture
def case(yuehai_manager, resident):
    today = timezone.localdate()
    return case_open(
        actor=yuehai_manager,
        resident=resident,
        problem="失业后情绪低落",
        opened_on=today - timedelta(days=10),
    )


def test_a_case_walks_from_intake_to_closing(case, yuehai_manager):
    case_advance(actor=yuehai_manager, case=case, assessment="需要就业支持与情绪疏导")
    case_advance(actor=yuehai_manager, case=case, plan="每周面谈一次，链接就业资源")
    case_advance(actor=yuehai_manager, case=case)
    assert case.stage == Stage.INTERVENTION
    case_record_service(
        actor=yuehai_manager,
        case=case,
        served_on=timezone.localdate(),
        minutes=60,
        method=Method.FACE_TO_FACE,
        notes="面谈",
    )
    case_advance(actor=yuehai_manager, case=case, evaluation="情绪好转，已找到工作")
    case_advance(actor=yuehai_manager, case=case, closing_summary="目标达成")
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED
    assert case.signed_off_by == yuehai_manager
    stages = [
        e.changes["stage"][1]
        for e in AuditEntry.objects.filter(object_type="casework.case").order_by("seq")
    ]
    assert stages == ["intake", "assessment", "planning", "intervention", "evaluation", "closed"]
    assert "失业" not in repr(list(AuditEntry.objects.values_list("changes", flat=True)))


def test_each_stage_requires_its_field(case, yuehai_manager):
    with pytest.raises(ValidationError) as error:
        case_advance(actor=yuehai_manager, case=case)
    assert "assessment" in error.value.message_dict
    case.refresh_from_db()
    assert case.stage == Stage.INTAKE


def test_evaluation_needs_a_service_record(case, yuehai_manager):
    case_advance(actor=yuehai_manager, case=case, assessment="a")
    case_advance(actor=yuehai_manager, case=case, plan="p")
    case_advance(actor=yuehai_manager, case=case)
    with pytest.raises(ValidationError) as error:
        case_advance(actor=yuehai_manager, case=case, evaluation="e")
    assert "records" in error.value.message_dict


def test_only_a_supervisor_closes(case, yuehai_manager, nanshan_admin):
    from conftest import make_user
    from wushe.accounts.models import Role

    worker = make_user("yuehai_worker", "440305007000", Role.WORKER)
    for fields in ({"assessment": "a"}, {"plan": "p"}, {}):
        case_advance(actor=worker, case=case, **fields)
    case_record_service(
        actor=worker, case=case, served_on=timezone.localdate(), minutes=30, method=Method.PHONE
    )
    case_advance(actor=worker, case=case, evaluation="e")
    with pytest.raises(PermissionDenied):
        case_advance(actor=worker, case=case, closing_summary="s")
    case_advance(actor=nanshan_admin, case=case, closing_summary="s")
    assert case.stage == Stage.CLOSED
    with pytest.raises(ValidationError):
        case_record_service(
            actor=nanshan_admin,
            case=case,
            served_on=timezone.localdate(),
            minutes=5,
            method=Method.PHONE,
        )


def test_cases_are_scoped(case, shekou_worker, futian_admin):
    from wushe.casework.models import Case

    assert not Case.objects.visible_to(shekou_worker).exists()
    assert not Case.objects.visible_to(futian_admin).exists()
    with pytest.raises(ValidationError):
        case_advance(actor=shekou_worker, case=case, assessment="x")


def test_bad_service_records_are_refused(case, yuehai_manager):
    with pytest.raises(ValidationError):
        case_record_service(
            actor=yuehai_manager,
            case=case,
            served_on=case.opened_on - timedelta(days=1),
            minutes=10,
            method=Method.PHONE,
        )
    with pytest.raises(ValidationError):
        case_record_service(
            actor=yuehai_manager,
            case=case,
            served_on=timezone.localdate(),
            minutes=0,
            method=Method.PHONE,
        )
    with pytest.raises(ValidationError):
        case_record_service(
            actor=yuehai_manager,
            case=case,
            served_on=timezone.localdate(),
            minutes=10,
            method="telepathy",
        )
    assert not case.records.exists()
