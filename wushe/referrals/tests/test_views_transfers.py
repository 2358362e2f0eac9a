import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import YUEHAI_VILLAGE
from wushe.people.tests.filing import SHEKOU_VILLAGE, ZHANG_ID, village
from wushe.referrals.choices import TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.referrals.services import referral_create
from wushe.referrals.tests.conftest import NANTOU_VILLAGE, SHEKOU_VILLAGE_2
from wushe.referrals.transfers import transfer_decide, transfer_request_create

pytestmark = pytest.mark.django_db

# What the requester must not learn of 张三丰's file (filed by 粤海 in 科技园社区).
HOLDERS_FILE = ("张三丰", "科技园", "低保", "独居", "粤海", "yuehai_manager", "440305007")


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def request_(shekou_worker, zhang):
    return transfer_request_create(
        actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason="同住"
    )


def assert_nothing_of_the_file(html: str) -> None:
    for secret in (*HOLDERS_FILE, ZHANG_ID):
        assert secret not in html, secret


def test_the_filing_form_offers_a_transfer_request_that_keeps_the_number_out_of_urls(
    as_user, shekou_worker, zhang, stations
):
    client = as_user(shekou_worker)
    page = client.post(
        "/residents/new/",
        {"name": "张三", "id_number": ZHANG_ID, "region": SHEKOU_VILLAGE, "risk_level": "low"},
    )
    html = page.content.decode()
    assert page.status_code == 400
    assert 'action="/referrals/transfers/new/"' in html
    for secret in ("张三丰", "科技园", "粤海"):  # (the form lists every category itself)
        assert secret not in html
    prefilled = client.post(
        "/referrals/transfers/new/",
        {"prefill": "1", "id_number": ZHANG_ID, "village": SHEKOU_VILLAGE},
    )
    assert prefilled.status_code == 200
    form = prefilled.context["form"]
    assert not form.is_bound and form.initial["id_number"] == ZHANG_ID
    answer = client.post(
        "/referrals/transfers/new/",
        {"id_number": ZHANG_ID, "village": SHEKOU_VILLAGE, "reason": "老人搬来同住"},
    )
    transfer = TransferRequest.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/referrals/transfers/{transfer.pk}/"
    assert ZHANG_ID not in answer["Location"]


def test_the_requester_sees_nothing_of_the_file_before_approval(
    as_user, shekou_worker, yuehai_manager, request_
):
    client = as_user(shekou_worker)
    for url in (
        "/referrals/transfers/",
        f"/referrals/transfers/{request_.pk}/",
        "/referrals/transfers/incoming/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "no-store" in page["Cache-Control"]
        assert_nothing_of_the_file(page.content.decode())
    transfer_decide(
        actor=yuehai_manager, transfer=request_, decision="decline", note="仍在本地居住"
    )
    page = client.get(f"/referrals/transfers/{request_.pk}/")
    html = page.content.decode()
    assert "仍在本地居住" in html and str(TransferStatus.DECLINED.label) in html
    assert_nothing_of_the_file(html)
    assert page.context["form"] is None


def test_the_holder_sees_the_person_and_approves(
    as_user, yuehai_manager, shekou_worker, request_, zhang
):
    holder = as_user(yuehai_manager)
    incoming = holder.get("/referrals/transfers/incoming/").content.decode()
    assert "张三丰" in incoming and "蛇口街道社工站" in incoming
    page = holder.get(f"/referrals/transfers/{request_.pk}/")
    assert page.context["resident"] == zhang and page.context["form"] is not None
    page = holder.post(f"/referrals/transfers/{request_.pk}/decide/", {"decision": "decline"})
    assert page.status_code == 400 and page.context["form"].errors["note"]
    answer = holder.post(f"/referrals/transfers/{request_.pk}/decide/", {"decision": "approve"})
    assert answer.status_code == 302
    zhang.refresh_from_db()
    assert zhang.region_id == SHEKOU_VILLAGE
    page = holder.post(f"/referrals/transfers/{request_.pk}/decide/", {"decision": "approve"})
    assert page.status_code == 400  # decided twice
    requester = as_user(shekou_worker)
    page = requester.get(f"/referrals/transfers/{request_.pk}/")
    assert page.context["resident"] == zhang  # the file is theirs now


def test_the_requester_cannot_approve_its_own_request(as_user, shekou_worker, request_, zhang):
    client = as_user(shekou_worker)
    answer = client.post(f"/referrals/transfers/{request_.pk}/decide/", {"decision": "approve"})
    assert answer.status_code == 403
    zhang.refresh_from_db()
    assert zhang.region_id == YUEHAI_VILLAGE


def test_bad_request_input_gets_field_errors(as_user, shekou_worker, zhang, stations):
    client = as_user(shekou_worker)
    for data, field in [
        ({"id_number": "1234", "village": SHEKOU_VILLAGE}, "id_number"),
        ({"id_number": ZHANG_ID, "village": YUEHAI_VILLAGE}, "village"),  # outside the scope
        ({"id_number": ZHANG_ID, "village": "440305005"}, "village"),  # not a village
        ({"id_number": ZHANG_ID, "village": "abc"}, "village"),
        ({"id_number": "x" * 41, "village": SHEKOU_VILLAGE}, "id_number"),
    ]:
        page = client.post("/referrals/transfers/new/", {"reason": "r", **data})
        assert page.status_code == 400, data
        assert page.context["form"].errors.get(field), (data, page.context["form"].errors)
    assert TransferRequest.objects.count() == 0


def test_an_auditor_cannot_request(as_user, nanshan_auditor):
    assert as_user(nanshan_auditor).get("/referrals/transfers/new/").status_code == 403


def test_the_list_pages_take_as_many_queries_for_three_rows_as_for_one(
    as_user, yuehai_manager, shekou_worker, shekou_manager, nantou_manager, zhang, case
):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def refer_and_ask(user, code):
        referral_create(
            actor=yuehai_manager, case=case, to_department="区残联", reason="r", asked_for="a"
        )
        Referral.objects.update(status="returned")
        transfer_request_create(actor=user, id_number=ZHANG_ID, village=village(code), reason="r")

    client = as_user(yuehai_manager)
    refer_and_ask(shekou_worker, SHEKOU_VILLAGE)
    one = count("/referrals/"), count("/referrals/transfers/incoming/")
    refer_and_ask(nantou_manager, NANTOU_VILLAGE)
    TransferRequest.objects.update(status=TransferStatus.DECLINED)
    refer_and_ask(shekou_manager, SHEKOU_VILLAGE_2)
    assert len(client.get("/referrals/").context["rows"]) == 3
    assert len(client.get("/referrals/transfers/incoming/").context["rows"]) == 3
    assert (count("/referrals/"), count("/referrals/transfers/incoming/")) == one
