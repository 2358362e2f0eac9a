import pytest

from wushe.audit.models import Action, AuditEntry
from wushe.referrals.choices import ReferralStatus
from wushe.referrals.models import Referral
from wushe.referrals.tests.conftest import SHEKOU_VILLAGE_2

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_a_case_is_referred_from_its_page(as_user, yuehai_manager, case, stations):
    client = as_user(yuehai_manager)
    page = client.get(f"/referrals/new/?case={case.pk}")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "蛇口街道社工站" in page.content.decode()
    answer = client.post(
        f"/referrals/new/?case={case.pk}",
        {
            "to_station": stations["shekou"].pk,
            "reason": "搬家",
            "asked_for": "跟进",
            "referred_on": case.opened_on.isoformat(),
        },
    )
    referral = Referral.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/referrals/{referral.pk}/"


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_written(
    as_user, yuehai_manager, case, stations
):
    client = as_user(yuehai_manager)
    for data, field in [
        ({"to_station": stations["yuehai"].pk}, "to_station"),  # already holds the case
        ({"to_station": "99999999999999999999"}, "to_station"),
        ({"to_department": "派出所", "transfer_file": "on"}, "transfer_file"),
        ({"to_department": "派出所", "referred_on": "2999-01-01"}, "referred_on"),
        ({"to_department": "派出所", "referred_on": "yesterday"}, "referred_on"),
        ({"to_department": "派" * 101}, "to_department"),
        ({}, "to_station"),
    ]:
        values = {"reason": "r", "asked_for": "a", "referred_on": case.opened_on.isoformat()}
        page = client.post(f"/referrals/new/?case={case.pk}", {**values, **data})
        assert page.status_code == 400, data
        assert page.context["form"].errors.get(field), (data, page.context["form"].errors)
    assert Referral.objects.count() == 0


def test_a_case_out_of_reach_or_malformed_is_a_404(as_user, nantou_manager, case):
    client = as_user(nantou_manager)
    for query in (f"?case={case.pk}", "?case=abc", "?case=99999999999999999999999", ""):
        assert client.get(f"/referrals/new/{query}").status_code == 404, query


def test_an_auditor_cannot_refer(as_user, nanshan_auditor, case):
    client = as_user(nanshan_auditor)
    assert client.get(f"/referrals/new/?case={case.pk}").status_code == 403
    assert AuditEntry.objects.filter(success=False, object_type="referrals.referral").exists()


def test_the_receiver_sees_the_case_history_audited_and_accepts(
    as_user, shekou_worker, referral, case
):
    client = as_user(shekou_worker)
    incoming = client.get("/referrals/incoming/").content.decode()
    assert f"/referrals/{referral.pk}/" in incoming and "张三丰" in incoming
    assert f"/referrals/{referral.pk}/" not in client.get("/referrals/").content.decode()
    page = client.get(f"/referrals/{referral.pk}/")
    html = page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert "独居，行动不便" in html  # the problem
    assert "上门了解照护需求" in html  # a service record
    assert page.context["history"].case == case
    viewed = AuditEntry.objects.filter(
        actor=shekou_worker, action=Action.VIEW, object_type="casework.case"
    )
    assert viewed.count() == 1
    assert page.context["decision_form"] is not None
    answer = client.post(f"/referrals/{referral.pk}/decide/", {"decision": "accept", "note": ""})
    assert answer.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_returning_without_a_reason_and_deciding_twice_show_errors(
    as_user, shekou_worker, referral
):
    client = as_user(shekou_worker)
    page = client.post(f"/referrals/{referral.pk}/decide/", {"decision": "return"})
    assert page.status_code == 400
    assert page.context["decision_form"].errors["note"]
    client.post(f"/referrals/{referral.pk}/decide/", {"decision": "return", "note": "不收"})
    page = client.post(f"/referrals/{referral.pk}/decide/", {"decision": "accept"})
    assert page.status_code == 400
    assert page.context["decision_form"].non_field_errors()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED


def test_a_returned_referral_no_longer_opens_the_case_to_the_receiver(
    as_user, shekou_worker, referral
):
    client = as_user(shekou_worker)
    client.post(f"/referrals/{referral.pk}/decide/", {"decision": "return", "note": "不收"})
    page = client.get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    assert page.context["history"] is None
    assert "独居，行动不便" not in page.content.decode()
    assert "张三丰" not in client.get("/referrals/incoming/").content.decode()


def test_the_sender_cannot_decide_for_the_receiver(as_user, yuehai_manager, referral):
    client = as_user(yuehai_manager)
    page = client.get(f"/referrals/{referral.pk}/")
    assert page.context["decision_form"] is None
    assert (
        client.post(f"/referrals/{referral.pk}/decide/", {"decision": "accept"}).status_code == 403
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING


def test_accepting_with_the_file_asks_for_a_village(
    as_user, yuehai_manager, shekou_worker, case, stations, zhang
):
    sender = as_user(yuehai_manager)
    sender.post(
        f"/referrals/new/?case={case.pk}",
        {
            "to_station": stations["shekou"].pk,
            "reason": "搬家",
            "asked_for": "接收档案",
            "referred_on": case.opened_on.isoformat(),
            "transfer_file": "on",
        },
    )
    referral = Referral.objects.get()
    receiver = as_user(shekou_worker)
    page = receiver.post(f"/referrals/{referral.pk}/decide/", {"decision": "accept"})
    assert page.status_code == 400 and page.context["decision_form"].errors["village"]
    page = receiver.post(
        f"/referrals/{referral.pk}/decide/", {"decision": "accept", "village": "440305007003"}
    )
    assert page.status_code == 400 and page.context["decision_form"].errors["village"]
    answer = receiver.post(
        f"/referrals/{referral.pk}/decide/", {"decision": "accept", "village": SHEKOU_VILLAGE_2}
    )
    assert answer.status_code == 302
    zhang.refresh_from_db()
    assert zhang.region_id == SHEKOU_VILLAGE_2


def test_the_sender_records_a_departments_answer(as_user, yuehai_manager, department_referral):
    client = as_user(yuehai_manager)
    page = client.get(f"/referrals/{department_referral.pk}/")
    assert page.context["answer_form"] is not None
    page = client.post(f"/referrals/{department_referral.pk}/answer/", {"decision": "return"})
    assert page.status_code == 400 and page.context["answer_form"].errors["note"]
    answer = client.post(
        f"/referrals/{department_referral.pk}/answer/", {"decision": "accept", "note": "已受理"}
    )
    assert answer.status_code == 302
    department_referral.refresh_from_db()
    assert department_referral.status == ReferralStatus.ACCEPTED
    page = client.post(f"/referrals/{department_referral.pk}/answer/", {"decision": "accept"})
    assert page.status_code == 400


def test_the_lists_filter_by_status(as_user, yuehai_manager, referral):
    client = as_user(yuehai_manager)
    assert referral.pk in [r.pk for r, _ in client.get("/referrals/").context["rows"]]
    assert client.get("/referrals/", {"status": "accepted"}).context["rows"] == []
    assert len(client.get("/referrals/", {"status": "nonsense"}).context["rows"]) == 1
    assert client.get("/referrals/incoming/").context["rows"] == []
