"""The scope matrix for statistics (as ``core/tests/test_scope_matrix.py``): for every role of
the cast, the page, the export and the API answer 404 for a region outside the user's subtree,
and the figures and child rows of what they can see hold nothing from outside it."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from conftest import FUTIAN, FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, NANSHAN, SHEKOU, YUEHAI, make_user
from wushe.accounts.models import Role, User
from wushe.casework.services import visit_record
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.regions.codes import ROOT_CODE
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

ROLES = ["nanshan_admin", "yuehai_manager", "shekou_worker", "nanshan_auditor", "futian_admin"]
HOMES = ["440305007003", "440305005001", FUTIAN_VILLAGE]  # 粤海, 蛇口, 园岭
REGIONS = [ROOT_CODE, "440300000000", NANSHAN, YUEHAI, SHEKOU, "440305007003", FUTIAN]
REGIONS += [FUTIAN_TOWNSHIP, FUTIAN_VILLAGE]
QUERY = {"from": "2026-01", "to": "2026-12"}


@pytest.fixture
def world(cast):
    """One resident with one visit in each of 粤海, 蛇口 and 园岭 (福田)."""
    shenzhen = make_user("shenzhen_scope", "440300000000", Role.ADMIN)
    for index, code in enumerate(HOMES):
        resident = resident_file(
            actor=shenzhen,
            name=f"居民{index}",
            id_number=make_id_number("440305", date(1950, 1, 1), 200 + index),
            region=Region.objects.get(code=code),
        )
        visit_record(actor=shenzhen, resident=resident, visited_on=date(2026, 3, 2))
    return HOMES


@pytest.fixture(params=ROLES)
def actor(request, cast) -> User:
    return cast[request.param]


def short(code: str) -> str:
    return Region.objects.get(code=code).display_code


def test_pages_exports_and_the_api_answer_404_for_regions_outside(client, actor, world):
    client.force_login(actor)
    api = APIClient()
    api.force_authenticate(actor)
    outside = [code for code in REGIONS if not actor.can_see_code(code)]
    inside = [code for code in REGIONS if actor.can_see_code(code)]
    assert outside and inside
    for code in outside:
        asked = {"region": short(code), **QUERY}
        assert client.get("/statistics/", asked).status_code == 404, code
        assert client.get("/statistics/export.xlsx", asked).status_code == 404, code
        assert api.get("/api/statistics/", asked).status_code == 404, code
    for code in inside:
        asked = {"region": short(code), **QUERY}
        assert client.get("/statistics/", asked).status_code == 200, code
        assert client.get("/statistics/export.xlsx", asked).status_code == 200, code
        assert api.get("/api/statistics/", asked).status_code == 200, code


def test_the_figures_and_the_rows_hold_only_the_subtree(client, actor, world):
    client.force_login(actor)
    api = APIClient()
    api.force_authenticate(actor)
    mine = [code for code in world if actor.can_see_code(code)]
    page = client.get("/statistics/", QUERY)
    assert page.context["figures"].persons == len(mine)
    assert page.context["figures"].visits == len(mine)
    assert all(actor.can_see_code(child.region.code) for child in page.context["children"])
    body = api.get("/api/statistics/", QUERY).json()
    assert body["figures"]["visits"] == len(mine)
    assert sum(row["figures"]["persons"] for row in body["children"]) == len(mine)
    assert all(actor.can_see_code(row["region"]["code"]) for row in body["children"])


def test_anonymous_users_see_nothing(client, world):
    assert client.get("/statistics/", QUERY).status_code == 302
    assert client.get("/statistics/export.xlsx", QUERY).status_code == 302
    assert APIClient().get("/api/statistics/", QUERY).status_code == 401
