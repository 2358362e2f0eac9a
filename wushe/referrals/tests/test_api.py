import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.people.tests.filing import SHEKOU_VILLAGE, ZHANG_ID, village
from wushe.referrals.choices import ReferralStatus, TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.referrals.services import referral_create
from wushe.referrals.tests.conftest import NANTOU_VILLAGE, SHEKOU_VILLAGE_2
from wushe.referrals.transfers import transfer_decide, transfer_request_create

pytestmark = pytest.mark.django_db

HOLDERS_FILE = ("张三丰", "科技园", "低保", "独居", "粤海", "yuehai_manager", "440305007")


def test_a_referral_is_created_listed_on_both_sides_and_accepted(
    case, stations, yuehai_manager, shekou_worker
):
    sender = token_client(yuehai_manager)
    answer = sender.post(
        "/api/referrals/",
        {
            "case": case.pk,
            "to_station": stations["shekou"].pk,
            "reason": "搬家",
            "asked_for": "跟进",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["status"] == "pending" and body["to_station"]["name"] == "蛇口街道社工站"
    assert answer["Cache-Control"] and "no-store" in answer["Cache-Control"]
    receiver = token_client(shekou_worker)
    incoming = receiver.get("/api/referrals/", {"box": "incoming"}).json()
    assert [row["id"] for row in incoming["results"]] == [body["id"]]
    assert incoming["results"][0]["resident"]["name"] == "张三丰"
    assert receiver.get("/api/referrals/", {"box": "outgoing"}).json()["count"] == 0
    decided = receiver.post(
        f"/api/referrals/{body['id']}/decide/", {"decision": "accept"}, format="json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "accepted"
    again = receiver.post(
        f"/api/referrals/{body['id']}/decide/", {"decision": "return", "note": "x"}, format="json"
    )
    assert again.status_code == 400 and "status" in again.json()


def test_bad_referral_input_is_a_field_error_never_a_500(case, stations, yuehai_manager):
    client = token_client(yuehai_manager)
    base = {"case": case.pk, "reason": "r", "asked_for": "a"}
    for data, field in [
        ({**base, "to_station": stations["yuehai"].pk}, "to_station"),
        ({**base, "to_station": 987654}, "to_station"),
        ({**base, "to_station": 2**70}, "to_station"),
        ({**base, "case": 987654, "to_department": "派出所"}, "case"),
        ({**base, "case": "abc", "to_department": "派出所"}, "case"),
        ({**base, "to_department": "派出所", "transfer_file": True}, "transfer_file"),
        ({**base, "to_department": "派出所", "referred_on": "2999-01-01"}, "referred_on"),
        ({**base, "to_department": "派出所", "to_station": stations["shekou"].pk}, "to_department"),
        ({**base, "reason": ""}, "reason"),
    ]:
        answer = client.post("/api/referrals/", data, format="json")
        assert answer.status_code == 400, (data, answer.content)
        assert field in answer.json(), (data, answer.json())
    assert Referral.objects.count() == 0


def test_the_case_endpoint_is_an_audited_view_for_a_receiver_until_returned(
    referral, shekou_worker, nantou_manager
):
    client = token_client(shekou_worker)
    answer = client.get(f"/api/referrals/{referral.pk}/case/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["stage"] == "intake" and body["problem"].startswith("独居")
    assert [r["minutes"] for r in body["records"]] == [45]
    assert [r["id"] for r in body["referrals"]] == [referral.pk]
    assert AuditEntry.objects.filter(
        actor=shekou_worker, action=Action.VIEW, object_type="casework.case"
    ).exists()
    client.post(
        f"/api/referrals/{referral.pk}/decide/",
        {"decision": "return", "note": "不在服务范围"},
        format="json",
    )
    assert client.get(f"/api/referrals/{referral.pk}/case/").status_code == 404
    assert client.get(f"/api/referrals/{referral.pk}/").json()["resident"] is None
    assert (
        token_client(nantou_manager).get(f"/api/referrals/{referral.pk}/case/").status_code == 404
    )


def test_an_auditor_reads_but_neither_refers_nor_reads_the_notes(referral, case, nanshan_auditor):
    client = token_client(nanshan_auditor)
    row = client.get(f"/api/referrals/{referral.pk}/").json()
    assert row["reason"] is None and row["asked_for"] is None
    answer = client.post(
        "/api/referrals/",
        {"case": case.pk, "to_department": "区残联", "reason": "r", "asked_for": "a"},
        format="json",
    )
    assert answer.status_code == 403
    assert (
        client.post(
            f"/api/referrals/{referral.pk}/decide/", {"decision": "accept"}, format="json"
        ).status_code
        == 403
    )


def test_accepting_with_the_file_takes_a_village(
    yuehai_manager, shekou_worker, case, stations, zhang
):
    referral = referral_create(
        actor=yuehai_manager,
        case=case,
        to_station=stations["shekou"],
        reason="r",
        asked_for="a",
        transfer_file=True,
    )
    client = token_client(shekou_worker)
    url = f"/api/referrals/{referral.pk}/decide/"
    for village_code in (None, YUEHAI_VILLAGE, "440305005", "bad"):
        answer = client.post(url, {"decision": "accept", "village": village_code}, format="json")
        assert answer.status_code == 400 and "village" in answer.json(), village_code
    answer = client.post(url, {"decision": "accept", "village": SHEKOU_VILLAGE_2}, format="json")
    assert answer.status_code == 200
    zhang.refresh_from_db()
    assert zhang.region_id == SHEKOU_VILLAGE_2


def test_a_department_answer_is_recorded_by_the_sender(department_referral, yuehai_manager):
    client = token_client(yuehai_manager)
    url = f"/api/referrals/{department_referral.pk}/answer/"
    assert client.post(url, {"decision": "return"}, format="json").status_code == 400
    answer = client.post(url, {"decision": "return", "note": "材料不全"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == ReferralStatus.RETURNED


def test_a_transfer_request_tells_the_requester_nothing_of_the_file(
    shekou_worker, yuehai_manager, zhang, stations
):
    requester = token_client(shekou_worker)
    answer = requester.post(
        "/api/transfer-requests/",
        {"id_number": ZHANG_ID, "village": SHEKOU_VILLAGE, "reason": "同住"},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    pk = answer.json()["id"]
    for url in (f"/api/transfer-requests/{pk}/", "/api/transfer-requests/"):
        text = requester.get(url).content.decode()
        for secret in (*HOLDERS_FILE, ZHANG_ID, TransferRequest.objects.get().id_hash):
            assert secret not in text, (url, secret)
    transfer_decide(
        actor=yuehai_manager,
        transfer=TransferRequest.objects.get(),
        decision="decline",
        note="不同意",
    )
    body = requester.get(f"/api/transfer-requests/{pk}/").json()
    assert body["status"] == TransferStatus.DECLINED and body["decision_note"] == "不同意"
    assert body["resident"] is None and body["decided_by"] is None
    assert not any(secret in repr(body) for secret in HOLDERS_FILE)


def test_the_holder_approves_through_the_api(shekou_worker, yuehai_manager, zhang, stations):
    transfer = transfer_request_create(
        actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason="同住"
    )
    holder = token_client(yuehai_manager)
    incoming = holder.get("/api/transfer-requests/", {"box": "incoming"}).json()
    assert incoming["results"][0]["resident"]["name"] == "张三丰"
    url = f"/api/transfer-requests/{transfer.pk}/decide/"
    assert (
        token_client(shekou_worker).post(url, {"decision": "approve"}, format="json").status_code
        == 403
    )
    assert holder.post(url, {"decision": "decline"}, format="json").status_code == 400
    assert holder.post(url, {"decision": "maybe"}, format="json").status_code == 400
    answer = holder.post(url, {"decision": "approve"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    assert holder.post(url, {"decision": "approve"}, format="json").status_code == 400
    zhang.refresh_from_db()
    assert zhang.region_id == SHEKOU_VILLAGE
    mine = token_client(shekou_worker).get(f"/api/transfer-requests/{transfer.pk}/").json()
    assert mine["resident"]["name"] == "张三丰"  # the file is theirs now


def test_bad_transfer_input_is_a_field_error(shekou_worker, zhang, stations):
    client = token_client(shekou_worker)
    base = {"id_number": ZHANG_ID, "village": SHEKOU_VILLAGE, "reason": "r"}
    for data, field in [
        ({**base, "id_number": "123"}, "id_number"),
        ({**base, "village": YUEHAI_VILLAGE}, "village"),
        ({**base, "village": "440305005"}, "village"),
        ({**base, "reason": ""}, "reason"),
        ({**base, "id_number": "1" * 41}, "id_number"),
    ]:
        answer = client.post("/api/transfer-requests/", data, format="json")
        assert answer.status_code == 400 and field in answer.json(), (data, answer.json())
    assert TransferRequest.objects.count() == 0


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_take_as_many_queries_for_three_rows_as_for_one(
    case, yuehai_manager, shekou_worker, nantou_manager, zhang, stations
):
    def refer():
        referral_create(
            actor=yuehai_manager, case=case, to_department="区残联", reason="r", asked_for="a"
        )
        Referral.objects.update(status=ReferralStatus.RETURNED)

    def ask(user, code):
        transfer_request_create(actor=user, id_number=ZHANG_ID, village=village(code), reason="r")
        TransferRequest.objects.update(status=TransferStatus.DECLINED)

    client = token_client(yuehai_manager)
    refer()
    ask(shekou_worker, SHEKOU_VILLAGE)
    one = _queries(client, "/api/referrals/"), _queries(client, "/api/transfer-requests/")
    refer()
    refer()
    ask(shekou_worker, SHEKOU_VILLAGE_2)
    ask(nantou_manager, NANTOU_VILLAGE)
    three = _queries(client, "/api/referrals/"), _queries(client, "/api/transfer-requests/")
    assert client.get("/api/referrals/").json()["count"] == 3
    assert client.get("/api/transfer-requests/").json()["count"] == 3
    assert one == three


def test_field_errors_speak_the_requested_language(case, yuehai_manager):
    data = {"case": case.pk, "reason": "r", "asked_for": "a"}
    english = token_client(yuehai_manager, language="en").post("/api/referrals/", data)
    chinese = token_client(yuehai_manager, language="zh-hans").post("/api/referrals/", data)
    assert english.json()["to_station"] == ["Choose a station or name a department."]
    assert chinese.json()["to_station"] == ["请选择一个社工站，或填写一个部门。"]
