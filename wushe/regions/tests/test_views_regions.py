import pytest
from django.urls import reverse

from conftest import NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE

pytestmark = pytest.mark.django_db


def region_url(code: str) -> str:
    return reverse("regions:region_detail", args=[code])


def test_regions_start_at_the_users_own_region(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.get(reverse("regions:region_own"))
    assert response.status_code == 200
    assert response.context["region"].code == YUEHAI
    assert "覆盖率" in response.content.decode()


def test_it_drills_down_from_the_county_to_a_village(client, nanshan_admin, yuehai_station):
    client.force_login(nanshan_admin)
    county = client.get(region_url("440305"))
    children = [row.region.code for row in county.context["children"]]
    assert len(children) == 9 and YUEHAI in children
    assert region_url("440305007") in county.content.decode()

    township = client.get(region_url("440305007"))
    assert [a.code for a in township.context["ancestors"]] == [NANSHAN]
    assert township.context["coverage"].stations == 1
    assert "粤海街道社工站" in township.content.decode()
    assert region_url(YUEHAI_VILLAGE) in township.content.decode()

    village = client.get(region_url(YUEHAI_VILLAGE))
    assert village.status_code == 200
    assert [a.code for a in village.context["ancestors"]] == [NANSHAN, YUEHAI]
    assert village.context["children"] == []


def test_it_accepts_the_12_digit_form_of_a_code(client, nanshan_admin):
    client.force_login(nanshan_admin)
    assert client.get(region_url(YUEHAI)).context["region"].code == YUEHAI


def test_the_breadcrumb_never_climbs_above_the_users_region(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.get(region_url(YUEHAI_VILLAGE))
    assert [a.code for a in response.context["ancestors"]] == [YUEHAI]
    assert "南山区" not in response.content.decode()


@pytest.mark.parametrize(
    "who, code",
    [
        ("futian_admin", "440305"),
        ("futian_admin", "440305007"),
        ("shekou_worker", "440305007"),  # inside 南山 but outside 蛇口
        ("yuehai_manager", "440305"),  # above the user's own region
        ("nanshan_admin", "44030"),  # malformed
        ("nanshan_admin", "440399"),  # no such county
    ],
)
def test_a_region_outside_the_subtree_is_not_found(client, cast, who, code):
    client.force_login(cast[who])
    assert client.get(region_url(code)).status_code == 404


def test_search_finds_by_name_and_code_inside_the_subtree_only(client, cast):
    client.force_login(cast["shekou_worker"])
    by_name = client.get(reverse("regions:region_search"), {"q": "社区"})
    codes = {region.code for region in by_name.context["results"]}
    assert codes and all(code.startswith("440305005") for code in codes)
    by_code = client.get(reverse("regions:region_search"), {"q": "440305007"})
    assert list(by_code.context["results"]) == []
    assert "没有匹配的区划" in by_code.content.decode()


def test_futian_searches_nothing_of_nanshan(client, futian_admin):
    client.force_login(futian_admin)
    response = client.get(reverse("regions:region_search"), {"q": "粤海"})
    assert list(response.context["results"]) == []


def test_the_live_search_answers_htmx_with_the_result_list_alone(client, nanshan_admin):
    client.force_login(nanshan_admin)
    response = client.get(
        reverse("regions:region_search"), {"q": "粤海"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body
    assert region_url("440305007") in body


def test_the_region_page_speaks_english_once_chosen(client, shekou_worker):
    client.force_login(shekou_worker)
    client.cookies["django_language"] = "en"
    body = client.get(region_url(SHEKOU)).content.decode()
    assert "Station coverage" in body and "Service sites here" in body


def test_the_county_page_takes_a_fixed_number_of_queries(
    client, nanshan_admin, yuehai_station, yuehai_room, django_assert_max_num_queries
):
    client.force_login(nanshan_admin)
    with django_assert_max_num_queries(14):
        client.get(region_url("440305"))
