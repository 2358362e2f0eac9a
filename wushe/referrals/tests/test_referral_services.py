from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.casework.cases import Stage
from wushe.referrals.choices import ReferralStatus
from wushe.referrals.models import Referral
from wushe.referrals.services import (
    referral_create,
    referral_decide,
    referral_record_department_answer,
)
from wushe.referrals.tests.conftest import SHEKOU_VILLAGE_2, shekou_village
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_it_refers_a_case_to_another_station(referral, case, stations, yuehai_manager):
    assert referral.status == ReferralStatus.PENDING
    assert referral.region_code == YUEHAI_VILLAGE
    assert referral.to_region_code == stations["shekou"].region_id
    assert referral.from_station == stations["yuehai"]
    assert referral.referred_on == timezone.localdate()
    entry = AuditEntry.objects.get(object_type="referrals.referral", action=Action.CREATE)
    assert entry.actor == yuehai_manager
    assert "随儿子" not in repr(entry.changes)  # the reason is about the person


def test_visible_to_is_the_senders_side_or_the_receivers(
    referral, cast, shekou_manager, nantou_manager
):
    seen_by = {
        name: Referral.objects.visible_to(user).filter(pk=referral.pk).exists()
        for name, user in {
            **cast,
            "shekou_manager": shekou_manager,
            "nantou": nantou_manager,
        }.items()
    }
    assert seen_by == {
        "nanshan_admin": True,
        "yuehai_manager": True,  # the sender's side
        "shekou_worker": True,  # the receiving station's side
        "shekou_manager": True,
        "nanshan_auditor": True,
        "futian_admin": False,
        "nantou": False,
    }


def test_it_refuses_the_station_that_already_holds_the_case(case, stations, yuehai_manager):
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager,
            case=case,
            to_station=stations["yuehai"],
            reason="r",
            asked_for="a",
        )
    )
    assert list(errors) == ["to_station"]
    assert Referral.objects.count() == 0


def test_it_needs_exactly_one_target_and_every_text(case, stations, yuehai_manager):
    errors = _errors(
        lambda: referral_create(actor=yuehai_manager, case=case, reason=" ", asked_for="")
    )
    assert set(errors) == {"to_station", "reason", "asked_for"}
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager,
            case=case,
            to_station=stations["shekou"],
            to_department="派出所",
            reason="r",
            asked_for="a",
        )
    )
    assert set(errors) == {"to_department"}
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager,
            case=case,
            to_department="派出所",
            transfer_file=True,
            reason="r",
            asked_for="a",
        )
    )
    assert set(errors) == {"transfer_file"}
    assert Referral.objects.count() == 0


def test_it_refuses_a_room_a_closed_station_and_bad_dates(
    case, stations, yuehai_manager, yuehai_room
):
    stations["nantou"].status = SiteStatus.CLOSED
    stations["nantou"].save()
    for site in (yuehai_room, stations["nantou"]):
        errors = _errors(
            lambda site=site: referral_create(
                actor=yuehai_manager, case=case, to_station=site, reason="r", asked_for="a"
            )
        )
        assert list(errors) == ["to_station"]
    for day in (timezone.localdate() + timedelta(days=1), case.opened_on - timedelta(days=1)):
        errors = _errors(
            lambda day=day: referral_create(
                actor=yuehai_manager,
                case=case,
                to_station=stations["shekou"],
                referred_on=day,
                reason="r",
                asked_for="a",
            )
        )
        assert list(errors) == ["referred_on"]
    assert yuehai_room.kind == SiteKind.ROOM


def test_it_refuses_a_second_pending_referral_and_a_closed_case(
    referral, case, stations, yuehai_manager
):
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager, case=case, to_department="区残联", reason="r", asked_for="a"
        )
    )
    assert list(errors) == ["case"]
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.RETURNED)
    case.stage = Stage.CLOSED
    case.save()
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager, case=case, to_department="区残联", reason="r", asked_for="a"
        )
    )
    assert list(errors) == ["case"]


def test_a_case_out_of_reach_is_no_such_case_and_auditors_cannot_refer(
    case, stations, shekou_worker, nanshan_auditor
):
    errors = _errors(
        lambda: referral_create(
            actor=shekou_worker, case=case, to_department="区残联", reason="r", asked_for="a"
        )
    )
    assert list(errors) == ["case"]
    with pytest.raises(PermissionDenied):
        referral_create(
            actor=nanshan_auditor, case=case, to_department="区残联", reason="r", asked_for="a"
        )


def test_the_receiving_station_accepts(referral, shekou_worker):
    referral_decide(actor=shekou_worker, referral=referral, decision="accept", note="已安排社工")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == shekou_worker
    assert referral.decided_at is not None
    assert referral.decision_note == "已安排社工"


def test_returning_needs_a_reason_and_deciding_twice_is_refused(referral, shekou_worker):
    errors = _errors(
        lambda: referral_decide(actor=shekou_worker, referral=referral, decision="return")
    )
    assert list(errors) == ["note"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING
    referral_decide(actor=shekou_worker, referral=referral, decision="return", note="不在服务范围")
    errors = _errors(
        lambda: referral_decide(actor=shekou_worker, referral=referral, decision="accept")
    )
    assert list(errors) == ["status"]
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED


def test_only_the_receiving_stations_people_decide(
    referral, yuehai_manager, nanshan_admin, nantou_manager, nanshan_auditor
):
    for actor in (yuehai_manager, nanshan_admin, nantou_manager, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            referral_decide(actor=actor, referral=referral, decision="accept")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_a_bad_decision_is_a_field_error(referral, shekou_worker):
    errors = _errors(
        lambda: referral_decide(actor=shekou_worker, referral=referral, decision="maybe")
    )
    assert list(errors) == ["decision"]


def test_accepting_with_the_file_moves_it_to_the_receiving_station(
    yuehai_manager, shekou_worker, case, zhang, stations
):
    referral = referral_create(
        actor=yuehai_manager,
        case=case,
        to_station=stations["shekou"],
        reason="搬家",
        asked_for="接收档案",
        transfer_file=True,
    )
    errors = _errors(
        lambda: referral_decide(actor=shekou_worker, referral=referral, decision="accept")
    )
    assert list(errors) == ["village"]
    outside = Region.objects.get(code=YUEHAI_VILLAGE)
    errors = _errors(
        lambda: referral_decide(
            actor=shekou_worker, referral=referral, decision="accept", village=outside
        )
    )
    assert list(errors) == ["village"]
    zhang.refresh_from_db()
    assert zhang.region_id == YUEHAI_VILLAGE
    referral_decide(
        actor=shekou_worker,
        referral=referral,
        decision="accept",
        village=shekou_village(SHEKOU_VILLAGE_2),
    )
    zhang.refresh_from_db()
    assert zhang.region_id == SHEKOU_VILLAGE_2
    assert zhang.station == stations["shekou"]
    assert sorted(zhang.categories.values_list("region_code", flat=True)) == [SHEKOU_VILLAGE_2] * 2
    moved = AuditEntry.objects.get(object_type="people.resident", action=Action.UPDATE)
    assert moved.actor == shekou_worker
    assert moved.changes["region"] == [YUEHAI_VILLAGE, SHEKOU_VILLAGE_2]


def test_a_village_is_refused_when_the_file_is_not_to_move(referral, shekou_worker):
    errors = _errors(
        lambda: referral_decide(
            actor=shekou_worker,
            referral=referral,
            decision="accept",
            village=shekou_village(),
        )
    )
    assert list(errors) == ["village"]


def test_the_sender_records_a_departments_answer(
    department_referral, yuehai_manager, shekou_worker
):
    assert department_referral.to_region_code == ""
    with pytest.raises(ValidationError):
        referral_decide(actor=shekou_worker, referral=department_referral, decision="accept")
    with pytest.raises(PermissionDenied):
        referral_record_department_answer(
            actor=shekou_worker, referral=department_referral, decision="accept"
        )
    errors = _errors(
        lambda: referral_record_department_answer(
            actor=yuehai_manager, referral=department_referral, decision="return"
        )
    )
    assert list(errors) == ["note"]
    referral_record_department_answer(
        actor=yuehai_manager, referral=department_referral, decision="return", note="材料不全"
    )
    department_referral.refresh_from_db()
    assert department_referral.status == ReferralStatus.RETURNED
    assert department_referral.decision_note == "材料不全"
    assert department_referral.decided_by == yuehai_manager


def test_a_station_referral_has_no_department_answer(referral, yuehai_manager):
    errors = _errors(
        lambda: referral_record_department_answer(
            actor=yuehai_manager, referral=referral, decision="accept"
        )
    )
    assert list(errors) == ["decision"]


def test_once_the_file_moved_its_new_station_refers_the_case_onward(
    yuehai_manager, shekou_worker, case, stations, zhang
):
    first = referral_create(
        actor=yuehai_manager,
        case=case,
        to_station=stations["shekou"],
        reason="搬家",
        asked_for="接收档案",
        transfer_file=True,
    )
    referral_decide(
        actor=shekou_worker,
        referral=first,
        decision="accept",
        village=shekou_village(SHEKOU_VILLAGE_2),
    )
    # 粤海 still sees the case it opened, but the person and the case are 蛇口's now.
    errors = _errors(
        lambda: referral_create(
            actor=yuehai_manager,
            case=case,
            to_station=stations["shekou"],
            reason="r",
            asked_for="a",
        )
    )
    assert list(errors) == ["to_station"]
    onward = referral_create(
        actor=shekou_worker, case=case, to_station=stations["nantou"], reason="r", asked_for="a"
    )
    assert onward.region_code == SHEKOU_VILLAGE_2  # the sender's side is where the person lives
    assert onward.from_station == stations["shekou"]
    assert Referral.objects.visible_to(shekou_worker).filter(pk=onward.pk).exists()
