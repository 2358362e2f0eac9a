import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.people.services import resident_file
from wushe.people.tests.filing import SHEKOU_VILLAGE, ZHANG_ID, village
from wushe.referrals.choices import TransferStatus
from wushe.referrals.models import TransferRequest
from wushe.referrals.tests.conftest import NANTOU_VILLAGE, SHEKOU_VILLAGE_2
from wushe.referrals.transfers import transfer_decide, transfer_request_create

pytestmark = pytest.mark.django_db


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


@pytest.fixture
def request_(shekou_worker, zhang):
    """蛇口 asks 粤海 for 张三丰's file."""
    return transfer_request_create(
        actor=shekou_worker,
        id_number=ZHANG_ID.lower(),
        village=village(SHEKOU_VILLAGE),
        reason="老人已搬来与儿子同住",
    )


def test_filing_a_number_filed_elsewhere_says_so_and_the_station_can_ask(
    shekou_worker, zhang, stations
):
    with pytest.raises(ValidationError) as error:
        resident_file(
            actor=shekou_worker, name="张三", id_number=ZHANG_ID, region=village(SHEKOU_VILLAGE)
        )
    assert [e.code for e in error.value.error_dict["id_number"]] == ["filed_elsewhere"]
    transfer = transfer_request_create(
        actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason="同住"
    )
    assert transfer.status == TransferStatus.PENDING
    assert transfer.station == stations["shekou"]
    assert transfer.holder_region_code == YUEHAI_VILLAGE
    assert transfer.id_hash == zhang.id_hash


def test_the_number_is_never_stored(request_):
    row = TransferRequest.objects.filter(pk=request_.pk).values().get()
    assert ZHANG_ID not in repr(row)
    for entry in AuditEntry.objects.filter(object_type="referrals.transferrequest"):
        assert ZHANG_ID not in repr(entry.changes) + entry.object_repr
        assert "张三丰" not in repr(entry.changes) + entry.object_repr


def test_bad_input_gets_field_errors_and_writes_nothing(shekou_worker, zhang, stations):
    cases = [
        ({"id_number": "123", "village": village(SHEKOU_VILLAGE)}, {"id_number"}),
        ({"id_number": ZHANG_ID, "village": village(YUEHAI_VILLAGE)}, {"village"}),
        ({"id_number": ZHANG_ID, "village": village("440305005000")}, {"village"}),
        ({"id_number": ZHANG_ID, "village": None}, {"village"}),
    ]
    for arguments, fields in cases:
        errors = _errors(
            lambda a=arguments: transfer_request_create(actor=shekou_worker, reason="r", **a)
        )
        assert set(errors) == fields, arguments
    errors = _errors(
        lambda: transfer_request_create(
            actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason=""
        )
    )
    assert set(errors) == {"reason"}
    assert TransferRequest.objects.count() == 0


def test_a_village_with_no_station_and_an_unfiled_number_are_refused(shekou_worker, nanshan_admin):
    errors = _errors(
        lambda: transfer_request_create(
            actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason="r"
        )
    )
    assert set(errors) == {"village", "id_number"}  # no station in 蛇口 yet; nobody filed him


def test_a_file_of_ones_own_subtree_is_not_requested(yuehai_manager, zhang):
    errors = _errors(
        lambda: transfer_request_create(
            actor=yuehai_manager, id_number=ZHANG_ID, village=village(), reason="r"
        )
    )
    assert list(errors) == ["id_number"]


def test_one_pending_request_per_person_and_station(request_, shekou_manager):
    errors = _errors(
        lambda: transfer_request_create(
            actor=shekou_manager,
            id_number=ZHANG_ID,
            village=village(SHEKOU_VILLAGE_2),
            reason="再问一次",
        )
    )
    assert list(errors) == ["id_number"]
    assert TransferRequest.objects.count() == 1


def test_the_holder_approves_and_the_file_moves(
    request_, yuehai_manager, shekou_worker, zhang, stations
):
    transfer_decide(actor=yuehai_manager, transfer=request_, decision="approve")
    request_.refresh_from_db()
    zhang.refresh_from_db()
    assert request_.status == TransferStatus.APPROVED
    assert request_.decided_by == yuehai_manager
    assert request_.holder_region_code == YUEHAI_VILLAGE  # the old holder still finds it
    assert zhang.region_id == SHEKOU_VILLAGE
    assert zhang.station == stations["shekou"]
    approval = AuditEntry.objects.get(object_type="referrals.transferrequest", action=Action.UPDATE)
    assert approval.actor == yuehai_manager
    assert approval.region_code == YUEHAI_VILLAGE
    moved = AuditEntry.objects.get(object_type="people.resident", action=Action.UPDATE)
    assert moved.actor == shekou_worker  # in the requester's name: the village is theirs
    assert moved.changes["region"] == [YUEHAI_VILLAGE, SHEKOU_VILLAGE]


def test_declining_needs_a_note_and_moves_nothing(request_, yuehai_manager, zhang):
    errors = _errors(
        lambda: transfer_decide(actor=yuehai_manager, transfer=request_, decision="decline")
    )
    assert list(errors) == ["note"]
    transfer_decide(
        actor=yuehai_manager, transfer=request_, decision="decline", note="老人仍住粤海"
    )
    request_.refresh_from_db()
    zhang.refresh_from_db()
    assert request_.status == TransferStatus.DECLINED
    assert request_.decision_note == "老人仍住粤海"
    assert zhang.region_id == YUEHAI_VILLAGE


def test_deciding_twice_is_a_field_error(request_, yuehai_manager):
    transfer_decide(actor=yuehai_manager, transfer=request_, decision="approve")
    for decision in ("approve", "decline"):
        errors = _errors(
            lambda d=decision: transfer_decide(
                actor=yuehai_manager, transfer=request_, decision=d, note="n"
            )
        )
        assert list(errors) == ["status"]


def test_only_the_holders_station_people_decide(
    request_, shekou_worker, nanshan_admin, nantou_manager, nanshan_auditor, zhang
):
    for actor in (shekou_worker, nanshan_admin, nantou_manager, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            transfer_decide(actor=actor, transfer=request_, decision="approve")
    errors = _errors(lambda: transfer_decide(actor=shekou_worker, transfer=request_, decision="x"))
    assert list(errors) == ["decision"]
    zhang.refresh_from_db()
    assert zhang.region_id == YUEHAI_VILLAGE


def test_a_move_points_other_pending_requests_at_the_new_holder(
    request_, yuehai_manager, nantou_manager, zhang
):
    other = transfer_request_create(
        actor=nantou_manager, id_number=ZHANG_ID, village=village(NANTOU_VILLAGE), reason="r"
    )
    transfer_decide(actor=yuehai_manager, transfer=request_, decision="approve")
    other.refresh_from_db()
    assert other.holder_region_code == SHEKOU_VILLAGE
    with pytest.raises(PermissionDenied):  # 粤海 no longer holds the file
        transfer_decide(actor=yuehai_manager, transfer=other, decision="approve")
