"""GET /api/statistics/?region=CODE&from=YYYY-MM&to=YYYY-MM."""

import pytest

from conftest import NANSHAN, SHEKOU, YUEHAI
from wushe.core.tests.api_client import token_client
from wushe.statistics.tests.sample import EXPECTED, YUEHAI_EXPECTED, record_the_year

pytestmark = pytest.mark.django_db

URL = "/api/statistics/"
Q1 = {"region": "440305", "from": "2026-01", "to": "2026-03"}


@pytest.fixture
def year(nanshan_admin, yuehai_station):
    return record_the_year(nanshan_admin, yuehai_station)


def test_it_answers_the_figures_of_the_region_and_each_child(nanshan_admin, year):
    response = token_client(nanshan_admin).get(URL, Q1)
    assert response.status_code == 200
    body = response.json()
    assert body["region"] == {"code": NANSHAN, "name": "南山区", "level": 3}
    assert (body["from"], body["to"]) == ("2026-01", "2026-03")
    assert body["summary"] == "开展个案2个、小组2节、社区活动1场次"
    figures = body["figures"]
    assert {key: figures[key] for key in EXPECTED} == EXPECTED
    assert figures["categories"]["dibao"] == 1 and figures["categories"]["orphan"] == 0
    children = {row["region"]["code"]: row["figures"] for row in body["children"]}
    assert {key: children[YUEHAI][key] for key in YUEHAI_EXPECTED} == YUEHAI_EXPECTED
    assert children[SHEKOU]["visits"] == 1


def test_the_defaults_are_the_users_region_and_this_year(yuehai_manager, year):
    body = token_client(yuehai_manager).get(URL).json()
    assert body["region"]["code"] == YUEHAI
    assert body["from"].endswith("-01") and body["from"][:4] == body["to"][:4]


def test_an_auditor_can_read_statistics(nanshan_auditor, year):
    response = token_client(nanshan_auditor).get(URL, Q1)
    assert response.status_code == 200
    assert response.json()["figures"]["visits"] == 3


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({"from": "2026-1x"}, "from", "Enter a month as YYYY-MM"),
        ({"to": "2026-00"}, "to", "Enter a month as YYYY-MM"),
        ({"from": "0001-01"}, "from", "from 1949 to 2999"),
        ({"from": "2026-05", "to": "2026-04"}, "to", "The period must end in or after"),
        ({"region": "4403x5"}, "region", "expected 2, 4, 6, 9 or 12 digits"),
        ({"region": "4" * 50}, "region", "at most 20 characters"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(nanshan_admin, query, field, message):
    response = token_client(nanshan_admin, language="en").get(URL, query)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field]
    assert message in body[field][0]


def test_the_messages_are_chinese_by_default(nanshan_admin):
    body = token_client(nanshan_admin).get(URL, {"from": "2026-13"}).json()
    assert "月份" in body["from"][0]


def test_a_region_outside_or_unknown_is_404(futian_admin, nanshan_admin, year):
    assert token_client(futian_admin).get(URL, Q1).status_code == 404
    assert token_client(nanshan_admin).get(URL, {"region": "440306"}).status_code == 404
    assert token_client(nanshan_admin).get(URL, {"region": "440304"}).status_code == 404


def test_anonymous_is_401():
    assert token_client().get(URL, Q1).status_code == 401
