"""The scope matrix for referrals and transfer requests (after core/tests/test_scope_matrix.py):
for every role of the cast, plus a manager of an unrelated station (南头), each page and API
endpoint answers 404 for a referral or request the user sees from neither side, and leaves it
out of every list and count. Who is "inside" is computed from the two sides' region codes."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from conftest import FUTIAN, FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, make_site, make_user
from wushe.accounts.models import Role, User
from wushe.casework.case_services import case_open
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.people.tests.filing import SHEKOU_VILLAGE, ZHANG_ID, village
from wushe.referrals.choices import ReferralStatus, TransferStatus
from wushe.referrals.models import Referral, TransferRequest
from wushe.referrals.services import referral_create
from wushe.referrals.transfers import transfer_request_create
from wushe.regions.choices import SiteKind

pytestmark = pytest.mark.django_db

ROLES = [
    "nanshan_admin",
    "yuehai_manager",  # the sender's side of the 南山 referral; holds 张三丰's file
    "shekou_worker",  # the receiving side; asks for 张三丰's file
    "nanshan_auditor",
    "futian_admin",
    "nantou_manager",  # an unrelated station of the same county
]
MISSING = 987654


@pytest.fixture
def world(cast, nantou_manager, referral, shekou_worker, zhang):
    """A 粤海 → 蛇口 referral, 蛇口's request for 粤海's file, and in 福田 a case referred from
    one street's station to another's, with a request between two 福田 villages."""
    make_site(FUTIAN_TOWNSHIP, SiteKind.STATION, "园岭街道社工站")
    other_street = make_site(f"{FUTIAN[:6]}001000", SiteKind.STATION, "南园街道社工站")
    futian_manager = make_user("futian_manager", FUTIAN_TOWNSHIP, Role.MANAGER)
    futian_resident = resident_file(
        actor=futian_manager,
        name="王五",
        id_number=make_id_number("440304", date(1960, 3, 3), 77),
        region=village(FUTIAN_VILLAGE),
    )
    futian_case = case_open(actor=futian_manager, resident=futian_resident, problem="困难")
    futian_referral = referral_create(
        actor=futian_manager, case=futian_case, to_station=other_street, reason="r", asked_for="a"
    )
    other_manager = make_user("futian_other", f"{FUTIAN[:6]}001000", Role.MANAGER)
    other_village = village(f"{FUTIAN[:6]}001019")
    futian_request = transfer_request_create(
        actor=other_manager,
        id_number=make_id_number("440304", date(1960, 3, 3), 77),
        village=other_village,
        reason="r",
    )
    nanshan_request = transfer_request_create(
        actor=shekou_worker, id_number=ZHANG_ID, village=village(SHEKOU_VILLAGE), reason="同住"
    )
    users = {**cast, "nantou_manager": nantou_manager}
    return {
        "users": users,
        "referrals": [referral, futian_referral],
        "transfers": [nanshan_request, futian_request],
        "cases": [referral.case, futian_case],
    }


@pytest.fixture(params=ROLES)
def actor(request, world) -> User:
    return world["users"][request.param]


@pytest.fixture
def page_client(client, actor):
    client.force_login(actor)
    return client


@pytest.fixture
def api_client(actor):
    api = APIClient()
    api.force_authenticate(actor)
    return api


def split(user: User, objects, *code_ofs):
    def sees(obj) -> bool:
        return any(code and user.can_see_code(code) for code in (f(obj) for f in code_ofs))

    return [o for o in objects if sees(o)], [o for o in objects if not sees(o)]


def split_referrals(user, world):
    return split(user, world["referrals"], lambda r: r.region_code, lambda r: r.to_region_code)


def split_transfers(user, world):
    return split(user, world["transfers"], lambda t: t.region_id, lambda t: t.holder_region_code)


def test_the_cast_sees_each_referral_from_one_side_or_not_at_all(world):
    nanshan, futian = world["referrals"]
    seen = {
        name: {r.pk for r in split_referrals(user, world)[0]}
        for name, user in world["users"].items()
    }
    assert seen == {
        "nanshan_admin": {nanshan.pk},
        "yuehai_manager": {nanshan.pk},
        "shekou_worker": {nanshan.pk},
        "nanshan_auditor": {nanshan.pk},
        "futian_admin": {futian.pk},
        "nantou_manager": set(),
    }
    for name, user in world["users"].items():
        visible = set(Referral.objects.visible_to(user).values_list("pk", flat=True))
        assert visible == seen[name], name


def test_referral_pages_answer_404_outside_and_leave_it_out_of_lists(page_client, actor, world):
    inside, outside = split_referrals(actor, world)
    for referral in outside:
        base = f"/referrals/{referral.pk}/"
        assert page_client.get(base).status_code == 404
        assert page_client.post(base + "decide/", {"decision": "accept"}).status_code == 404
        assert page_client.post(base + "answer/", {"decision": "accept"}).status_code == 404
        assert page_client.get(f"/referrals/new/?case={referral.case_id}").status_code == 404
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.PENDING
    for referral in inside:
        page = page_client.get(f"/referrals/{referral.pk}/")
        assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert page_client.get(f"/referrals/{MISSING}/").status_code == 404
    listed = set()
    for url in ("/referrals/", "/referrals/incoming/"):
        page = page_client.get(url)
        assert page.status_code == 200
        listed |= {referral.pk for referral, _readable in page.context["rows"]}
    assert listed == {referral.pk for referral in inside}


def test_the_referral_api_answers_404_outside_and_counts_only_inside(api_client, actor, world):
    inside, outside = split_referrals(actor, world)
    for referral in outside:
        base = f"/api/referrals/{referral.pk}/"
        assert api_client.get(base).status_code == 404
        assert api_client.get(base + "case/").status_code == 404
        for action in ("decide/", "answer/"):
            answer = api_client.post(base + action, {"decision": "accept"}, format="json")
            assert answer.status_code == 404, action
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.PENDING
    body = api_client.get("/api/referrals/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {r.pk for r in inside}
    assert api_client.get(f"/api/referrals/{MISSING}/").status_code == 404
    for case in world["cases"]:
        if not any(case == r.case for r in inside):
            answer = api_client.post(
                "/api/referrals/",
                {"case": case.pk, "to_department": "派出所", "reason": "r", "asked_for": "a"},
                format="json",
            )
            assert answer.status_code in (400, 403)
            assert answer.status_code == 403 or "case" in answer.json()
    assert Referral.objects.count() == 2


def test_transfer_pages_and_api_answer_404_outside_and_list_only_inside(
    page_client, api_client, actor, world
):
    inside, outside = split_transfers(actor, world)
    for transfer in outside:
        assert page_client.get(f"/referrals/transfers/{transfer.pk}/").status_code == 404
        url = f"/referrals/transfers/{transfer.pk}/decide/"
        assert page_client.post(url, {"decision": "approve"}).status_code == 404
        assert api_client.get(f"/api/transfer-requests/{transfer.pk}/").status_code == 404
        url = f"/api/transfer-requests/{transfer.pk}/decide/"
        assert api_client.post(url, {"decision": "approve"}, format="json").status_code == 404
        transfer.refresh_from_db()
        assert transfer.status == TransferStatus.PENDING
    for transfer in inside:
        assert page_client.get(f"/referrals/transfers/{transfer.pk}/").status_code == 200
    listed = set()
    for url in ("/referrals/transfers/", "/referrals/transfers/incoming/"):
        listed |= {transfer.pk for transfer, _file in page_client.get(url).context["rows"]}
    assert listed == {transfer.pk for transfer in inside}
    body = api_client.get("/api/transfer-requests/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {t.pk for t in inside}
    assert api_client.get(f"/api/transfer-requests/{MISSING}/").status_code == 404
    assert TransferRequest.objects.count() == 2


def test_only_the_holder_side_learns_whose_file_is_asked_for(api_client, actor, world):
    """The 南山 request names 张三丰 to those who see his file (粤海, the county), and to
    nobody else: not the requester (蛇口), not an unrelated station."""
    nanshan_request = world["transfers"][0]
    answer = api_client.get(f"/api/transfer-requests/{nanshan_request.pk}/")
    if answer.status_code == 404:
        return
    resident = answer.json()["resident"]
    if actor.can_see_code(nanshan_request.holder_region_code):
        assert resident["name"] == "张三丰"
    else:
        assert resident is None and "张三丰" not in answer.content.decode()
