"""The scope matrix of casework (after ``core/tests/test_scope_matrix.py``): for every role of
the cast, every page, API endpoint and export answers 404 for a visit, case, case record or
visit frequency outside the user's subtree and leaves it out of lists and counts. What is
"outside" is computed from each user's region and the visibility rule (the record's village or
its person's current one), not listed by hand.

Then the rule "the case history follows the person": a resident moves to another street and the
new station sees the old visits and cases, while an unrelated station still gets 404.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from rest_framework.test import APIClient

from conftest import FUTIAN_VILLAGE, SHEKOU, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role, User
from wushe.casework.case_services import case_open, case_record_service
from wushe.casework.cases import Method
from wushe.casework.models import Case, HomeVisit, VisitFrequency
from wushe.casework.scoping import can_see_work
from wushe.casework.services import frequency_set, visit_record
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.people.models import Resident
from wushe.people.services import resident_file, resident_update
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]
SHEKOU_VILLAGE = "440305005001"
MISSING = 987654


@pytest.fixture
def world(cast):
    """In 粤海, 蛇口 and 福田: a resident filed 100 days ago (so overdue), a visit, a case with
    one service record, and a visit frequency for the village."""
    shenzhen = make_user("shenzhen_admin", "440300000000", Role.ADMIN)
    today = date.today()
    made = {"residents": [], "visits": [], "cases": [], "rules": []}
    for index, code in enumerate([YUEHAI_VILLAGE, SHEKOU_VILLAGE, FUTIAN_VILLAGE]):
        village = Region.objects.get(code=code)
        resident = resident_file(
            actor=shenzhen,
            name=f"居民{index}",
            id_number=make_id_number("440305", date(1950, 1, 1), 200 + index),
            region=village,
            categories=[Category.EXTREME_POVERTY],
        )
        Resident.objects.filter(pk=resident.pk).update(
            created_at=resident.created_at - timedelta(days=100)
        )
        case = case_open(actor=shenzhen, resident=resident, problem=f"问题{index}")
        case_record_service(
            actor=shenzhen, case=case, served_on=today, minutes=20, method=Method.PHONE
        )
        made["residents"].append(resident)
        made["visits"].append(
            visit_record(actor=shenzhen, resident=resident, visited_on=today - timedelta(days=40))
        )
        made["cases"].append(case)
        made["rules"].append(
            frequency_set(
                actor=shenzhen, region=village, category=Category.ORPHAN, interval_days=10 + index
            )
        )
    return made


def split(user: User, objects):
    inside = [o for o in objects if can_see_work(user, o.region_code, o.resident)]
    outside = [o for o in objects if o not in inside]
    return inside, outside


@pytest.fixture(params=ROLES)
def actor(request, cast):
    return cast[request.param]


@pytest.fixture
def page_client(client, actor):
    client.force_login(actor)
    return client


@pytest.fixture
def api_client(actor):
    api = APIClient()
    api.force_authenticate(actor)
    return api


def test_visit_pages_and_api_answer_404_outside(page_client, api_client, actor, world):
    inside, outside = split(actor, world["visits"])
    assert outside, "every role of the cast has something outside its subtree"
    for visit in outside:
        base = f"/casework/visits/{visit.pk}/"
        assert page_client.get(base).status_code == 404
        for url in (base + "edit/", base + "delete/"):
            assert page_client.get(url).status_code == 404, url
            assert page_client.post(url, {"visited_on": "2026-01-01"}).status_code == 404, url
        api = f"/api/visits/{visit.pk}/"
        assert api_client.get(api).status_code == 404
        assert api_client.patch(api, {"findings": "x"}, format="json").status_code == 404
        assert api_client.delete(api).status_code == 404
        resident = visit.resident.pk
        assert page_client.get(f"/casework/visits/new/{resident}/").status_code == 404
        new = {"resident": resident, "visited_on": "2026-01-01"}
        answer = api_client.post("/api/visits/", new, format="json")
        assert answer.status_code in (400, 403)  # "no such resident", or an auditor's 403
    for visit in inside:
        assert page_client.get(f"/casework/visits/{visit.pk}/").status_code == 200
        assert api_client.get(f"/api/visits/{visit.pk}/").status_code == 200
    assert page_client.get(f"/casework/visits/{MISSING}/").status_code == 404
    assert api_client.get(f"/api/visits/{MISSING}/").status_code == 404
    assert HomeVisit.objects.count() == len(world["visits"])


def test_visit_lists_leave_outside_visits_out(page_client, api_client, actor, world):
    inside, outside = split(actor, world["visits"])
    page = page_client.get("/casework/visits/")
    assert {v.pk for v in page.context["page"]} == {v.pk for v in inside}
    body = api_client.get("/api/visits/").json()
    assert body["count"] == len(inside)
    assert {row["id"] for row in body["results"]} == {v.pk for v in inside}
    for visit in outside:
        assert visit.resident.name not in page.content.decode()
        code = visit.region_code[:9]
        assert api_client.get("/api/visits/", {"region": code}).json()["count"] == 0


def test_case_pages_and_api_answer_404_outside(page_client, api_client, actor, world):
    inside, outside = split(actor, world["cases"])
    assert outside
    for case in outside:
        base = f"/casework/cases/{case.pk}/"
        assert page_client.get(base).status_code == 404
        assert page_client.post(base + "advance/", {"assessment": "x"}).status_code == 404
        record = {"served_on": "2026-01-01", "minutes": "5", "method": "phone"}
        assert page_client.post(base + "records/new/", record).status_code == 404
        api = f"/api/cases/{case.pk}/"
        assert api_client.get(api).status_code == 404
        assert api_client.get(api + "records/").status_code == 404
        assert (
            api_client.post(api + "advance/", {"assessment": "x"}, format="json").status_code == 404
        )
        assert api_client.post(api + "records/", record, format="json").status_code == 404
        assert page_client.get(f"/casework/cases/new/{case.resident.pk}/").status_code == 404
    for case in inside:
        assert page_client.get(f"/casework/cases/{case.pk}/").status_code == 200
        assert api_client.get(f"/api/cases/{case.pk}/records/").json()["count"] == 1
    for case in world["cases"]:
        case.refresh_from_db()
        assert case.stage == "intake" and case.records.count() == 1


def test_case_lists_leave_outside_cases_out(page_client, api_client, actor, world):
    inside, outside = split(actor, world["cases"])
    page = page_client.get("/casework/cases/")
    assert {c.pk for c in page.context["page"]} == {c.pk for c in inside}
    body = api_client.get("/api/cases/").json()
    assert {row["id"] for row in body["results"]} == {c.pk for c in inside}
    for case in outside:
        assert case.resident.name not in page.content.decode()


def test_overdue_lists_and_exports_leave_outside_residents_out(
    page_client, api_client, actor, world
):
    inside = [r for r in world["residents"] if actor.can_see_code(r.region_id)]
    outside = [r for r in world["residents"] if r not in inside]
    page = page_client.get("/casework/overdue/")
    assert {row.resident.pk for row in page.context["page"]} == {r.pk for r in inside}
    body = api_client.get("/api/overdue-visits/").json()
    assert {row["resident"] for row in body["results"]} == {r.pk for r in inside}
    export = page_client.get("/casework/overdue/export.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    exported = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {r.name for r in inside} <= exported
    assert not {r.name for r in outside} & exported
    for resident in outside:
        code = resident.region_id[:9]
        assert page_client.get("/casework/overdue/", {"region": code}).status_code == 400
        assert page_client.get("/casework/overdue/export.xlsx", {"region": code}).status_code == 400
        assert api_client.get("/api/overdue-visits/", {"region": code}).status_code == 400


def test_visit_frequencies_outside_are_404_and_unlisted(page_client, api_client, actor, world):
    inside = [r for r in world["rules"] if actor.can_see_code(r.region_id)]
    outside = [r for r in world["rules"] if r not in inside]
    body = api_client.get("/api/visit-frequencies/").json()
    assert {row["id"] for row in body["results"]} == {r.pk for r in inside}
    for rule in outside:
        assert api_client.get(f"/api/visit-frequencies/{rule.pk}/").status_code == 404
        assert api_client.delete(f"/api/visit-frequencies/{rule.pk}/").status_code == 404
        assert page_client.post(f"/casework/frequencies/{rule.pk}/delete/").status_code == 404
        code = rule.region_id
        assert page_client.get("/casework/frequencies/", {"region": code}).status_code == 400
        assert (
            api_client.get("/api/visit-frequencies/effective/", {"region": code}).status_code == 400
        )
    page = page_client.get("/casework/frequencies/")
    shown = {rule.pk for rule in page.context["below"]}
    assert shown <= {r.pk for r in inside} and not shown & {r.pk for r in outside}
    assert VisitFrequency.objects.count() == len(world["rules"])


def test_anonymous_users_get_the_login_page_and_401(client, world):
    visit, case = world["visits"][0], world["cases"][0]
    for url in (
        "/casework/visits/",
        f"/casework/visits/{visit.pk}/",
        "/casework/cases/",
        f"/casework/cases/{case.pk}/",
        "/casework/overdue/",
        "/casework/overdue/export.xlsx",
        "/casework/frequencies/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    api = APIClient()
    for url in ("/api/visits/", "/api/cases/", "/api/overdue-visits/", "/api/visit-frequencies/"):
        assert api.get(url).status_code == 401, url


# The case history follows the person ------------------------------------------------------------


def test_a_residents_history_follows_them_to_a_new_street(client, nanshan_admin, world):
    """居民0 moves from 粤海 to a village of 蛇口: 蛇口's manager now sees the visits and cases
    made in 粤海 (and can carry the case on); 粤海 keeps seeing its own work; 招商 (another
    street) and 福田 still get 404."""
    resident, visit, case = world["residents"][0], world["visits"][0], world["cases"][0]
    shekou_manager = make_user("shekou_manager", SHEKOU, Role.MANAGER)
    zhaoshang_manager = make_user("zhaoshang_manager", "440305006000", Role.MANAGER)
    yuehai_manager = User.objects.get(username="yuehai_manager")

    def sees(user) -> dict[str, int]:
        client.force_login(user)
        return {
            "visit": client.get(f"/casework/visits/{visit.pk}/").status_code,
            "case": client.get(f"/casework/cases/{case.pk}/").status_code,
            "api_case": token(user).get(f"/api/cases/{case.pk}/").status_code,
            "listed": int(
                case.pk in {c.pk for c in client.get("/casework/cases/").context["page"]}
            ),
        }

    assert sees(shekou_manager) == {"visit": 404, "case": 404, "api_case": 404, "listed": 0}
    resident_update(
        actor=nanshan_admin, resident=resident, region=Region.objects.get(code=SHEKOU_VILLAGE)
    )
    assert sees(shekou_manager) == {"visit": 200, "case": 200, "api_case": 200, "listed": 1}
    assert sees(yuehai_manager) == {"visit": 200, "case": 200, "api_case": 200, "listed": 1}
    for stranger in (zhaoshang_manager, User.objects.get(username="futian_admin")):
        assert sees(stranger) == {"visit": 404, "case": 404, "api_case": 404, "listed": 0}
    # The new station carries the case on; the record stays under the case's village.
    client.force_login(shekou_manager)
    response = client.post(f"/casework/cases/{case.pk}/advance/", {"assessment": "搬家后重新预估"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "assessment" and case.region_code == YUEHAI_VILLAGE
    # 蛇口's visit list and region filter include the visit made in 粤海.
    visits = token(shekou_manager).get("/api/visits/", {"region": SHEKOU[:9]}).json()
    assert visit.pk in {row["id"] for row in visits["results"]}
    assert Case.objects.visible_to(zhaoshang_manager).count() == 0


def token(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api
