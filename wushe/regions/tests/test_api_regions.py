import pytest

from conftest import FUTIAN, NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.core.tests.api_client import token_client

pytestmark = pytest.mark.django_db


def codes_of(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def test_it_lists_the_townships_of_the_users_subtree(nanshan_admin):
    response = token_client(nanshan_admin).get("/api/regions/", {"level": 4})
    assert response.status_code == 200
    assert response.json()["count"] == 9
    assert all(code.startswith("440305") for code in codes_of(response))


def test_another_countys_administrator_sees_nothing_of_nanshan(futian_admin):
    client = token_client(futian_admin)
    listed = client.get("/api/regions/", {"page_size": 500}).json()
    assert listed["count"] > 0
    assert not any(row["code"].startswith("440305") for row in listed["results"])
    assert client.get("/api/regions/", {"parent": "440305"}).json()["count"] == 0
    assert client.get("/api/regions/", {"q": "粤海"}).json()["count"] == 0
    assert client.get("/api/regions/", {"q": "440305"}).json()["count"] == 0


def test_it_filters_by_parent(nanshan_admin):
    response = token_client(nanshan_admin).get("/api/regions/", {"parent": "440305007"})
    assert response.json()["count"] == 16
    assert YUEHAI_VILLAGE in codes_of(response)


def test_it_searches_by_name_and_by_code(nanshan_admin):
    client = token_client(nanshan_admin)
    assert codes_of(client.get("/api/regions/", {"q": "粤海"})) == [YUEHAI]
    by_code = client.get("/api/regions/", {"q": "440305007", "level": 5})
    assert by_code.json()["count"] == 16


def test_a_search_is_limited_to_the_subtree(shekou_worker):
    client = token_client(shekou_worker)
    assert client.get("/api/regions/", {"q": "粤海"}).json()["count"] == 0
    assert codes_of(client.get("/api/regions/", {"q": "蛇口"})) == [SHEKOU]


@pytest.mark.parametrize("code", ["440305", "440305000000"])
def test_it_accepts_every_form_of_a_code(nanshan_admin, code):
    response = token_client(nanshan_admin).get(f"/api/regions/{code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == NANSHAN
    assert body["display_code"] == "440305"
    assert body["name"] == "南山区"
    assert body["township_count"] == 9
    assert body["village_count"] == 108


def test_the_parent_above_the_users_own_region_is_not_shown(nanshan_admin):
    client = token_client(nanshan_admin)
    assert client.get("/api/regions/440305/").json()["parent"] is None
    assert client.get("/api/regions/440305007/").json()["parent"] == NANSHAN


@pytest.mark.parametrize("suffix", ["", "children/", "ancestors/", "coverage/"])
def test_a_region_outside_the_subtree_is_404(futian_admin, shekou_worker, suffix):
    assert token_client(futian_admin).get(f"/api/regions/440305/{suffix}").status_code == 404
    assert token_client(shekou_worker).get(f"/api/regions/440305007/{suffix}").status_code == 404
    assert token_client(shekou_worker).get(f"/api/regions/440305/{suffix}").status_code == 404


def test_a_code_that_names_nothing_is_404(nanshan_admin):
    assert token_client(nanshan_admin).get("/api/regions/440305999/").status_code == 404


@pytest.mark.parametrize("code", ["4403x", "4403050", "-1", "４４０３０５", "9" * 40])
def test_a_malformed_code_is_400_with_the_reason(nanshan_admin, code):
    response = token_client(nanshan_admin).get(f"/api/regions/{code}/")
    assert response.status_code == 400
    assert "division code" in response.json()["code"][0] or "区划" in response.json()["code"][0]


def test_children_are_paginated(nanshan_admin):
    client = token_client(nanshan_admin)
    page = client.get("/api/regions/440305007/children/", {"page_size": 5}).json()
    assert page["count"] == 16
    assert len(page["results"]) == 5
    assert page["next"]
    rest = client.get("/api/regions/440305007/children/", {"page_size": 5, "page": 4}).json()
    assert len(rest["results"]) == 1


def test_ancestors_stop_at_the_users_own_region(nanshan_admin, yuehai_manager):
    url = f"/api/regions/{YUEHAI_VILLAGE}/ancestors/"
    chain = token_client(nanshan_admin).get(url).json()
    assert [region["code"] for region in chain] == [NANSHAN, YUEHAI]
    chain = token_client(yuehai_manager).get(url).json()
    assert [region["code"] for region in chain] == [YUEHAI]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": 9}, "level"),
        ({"level": "abc"}, "level"),
        ({"level": "99999999999999999999999"}, "level"),
        ({"parent": "12x"}, "parent"),
        ({"parent": "1234567"}, "parent"),
        ({"q": "粤\x00海"}, "q"),
    ],
)
def test_a_bad_filter_is_400_with_a_field_message(nanshan_admin, params, field):
    response = token_client(nanshan_admin).get("/api/regions/", params)
    assert response.status_code == 400
    assert response.json()[field]


def test_filter_errors_are_chinese_by_default_and_english_on_request(nanshan_admin):
    chinese = token_client(nanshan_admin).get("/api/regions/", {"level": 9}).json()
    english = token_client(nanshan_admin, language="en").get("/api/regions/", {"level": 9}).json()
    assert "有效" in chinese["level"][0]
    assert "valid choice" in english["level"][0]


def test_a_region_list_costs_a_fixed_number_of_queries(
    nanshan_admin, django_assert_max_num_queries
):
    client = token_client(nanshan_admin)
    # token and user, the user's region, the count, the page
    with django_assert_max_num_queries(4):
        response = client.get("/api/regions/", {"page_size": 100})
    assert len(response.json()["results"]) == 100


def test_children_cost_a_fixed_number_of_queries(nanshan_admin, django_assert_max_num_queries):
    client = token_client(nanshan_admin)
    # token and user, the user's region, the parent, the count, the page
    with django_assert_max_num_queries(5):
        response = client.get("/api/regions/440305007/children/")
    assert len(response.json()["results"]) == 16


def test_a_national_region_is_only_visible_from_above(futian_admin):
    assert token_client(futian_admin).get(f"/api/regions/{FUTIAN}/").status_code == 200
    assert token_client(futian_admin).get("/api/regions/44/").status_code == 404
