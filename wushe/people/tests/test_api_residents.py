import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import FUTIAN_VILLAGE, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.people.identity import mask_id_number
from wushe.people.models import Consent, Resident
from wushe.people.tests.filing import (
    LI_ID,
    ZHANG_ID,
    ZHANG_PHONE,
    assert_audit_holds_no_secrets,
    assert_no_secrets,
    file_li,
    file_zhang,
)

pytestmark = pytest.mark.django_db

LIST = "/api/residents/"
SEARCH = "/api/residents/search/"
NEW_FILE = {
    "name": "张三丰",
    "id_number": ZHANG_ID,
    "phone": "138-1234-5678",
    "region": YUEHAI_VILLAGE,
    "categories": ["dibao", "alone"],
    "risk_level": "medium",
}
CONSENT = {
    "given_by": "self",
    "giver_name": "张三丰",
    "method": "written",
    "text_version": "2026-1",
    "given_on": "2026-01-05",
}


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def detail(resident) -> str:
    return f"{LIST}{resident.pk}/"


def opened(resident) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW, object_id=str(resident.pk), success=True
    ).count()


def test_the_list_shows_files_of_the_subtree_masked(nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    response = token_client(nanshan_admin).get(LIST)
    assert names(response) == {"张三丰", "李四娘"}
    assert "no-store" in response["Cache-Control"]
    zhang = next(row for row in response.json()["results"] if row["name"] == "张三丰")
    assert zhang["id_number"] == mask_id_number(ZHANG_ID)
    assert zhang["phone"] == "138****5678" and zhang["guardian_phone"] == "137****2222"
    assert zhang["elderly"] is True and zhang["age"] >= 80
    assert zhang["categories"] == ["alone", "dibao"] and zhang["region"] == YUEHAI_VILLAGE
    assert zhang["has_health_notes"] is False
    assert_no_secrets(response.content.decode())


@pytest.mark.parametrize("who", ["futian_admin", "shekou_worker"])
def test_files_outside_the_subtree_are_absent_from_list_and_search(cast, who):
    file_zhang(cast["yuehai_manager"])
    client = token_client(cast[who])
    assert names(client.get(LIST)) == set()
    assert names(client.get(LIST, {"q": "zsf"})) == set()
    for query in ("zsf", "张三丰", ZHANG_ID):
        assert names(client.post(SEARCH, {"q": query}, format="json")) == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "dibao"}, {"张三丰"}),
        ({"risk_level": "high"}, {"李四娘"}),
        ({"village": "440305005"}, {"李四娘"}),
        ({"village": "440304"}, set()),
        ({"q": "zsf"}, {"张三丰"}),
        ({"q": "lisi"}, {"李四娘"}),
        ({"q": "四娘", "category": "dibao"}, set()),
    ],
)
def test_the_list_filters_and_searches_names(nanshan_admin, params, expected):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    assert names(token_client(nanshan_admin).get(LIST, params)) == expected


@pytest.mark.parametrize("query", [ZHANG_ID, ZHANG_ID[-6:], "１３８", "zsf1"])
def test_a_number_in_the_query_string_is_refused(nanshan_admin, query):
    file_zhang(nanshan_admin)
    response = token_client(nanshan_admin).get(LIST, {"q": query})
    assert response.status_code == 400
    assert "搜索框" in response.json()["q"][0]
    english = token_client(nanshan_admin, language="en").get(LIST, {"q": query})
    assert "search box" in english.json()["q"][0]


@pytest.mark.parametrize("query", ["zhangsanfeng", "张三", ZHANG_ID, ZHANG_ID.lower()])
def test_the_search_takes_names_and_id_numbers_in_the_body(nanshan_admin, query):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    response = token_client(nanshan_admin).post(SEARCH, {"q": query}, format="json")
    assert names(response) == {"张三丰"}
    assert "no-store" in response["Cache-Control"]
    assert_no_secrets(response.content.decode())


def test_search_results_page_without_repeating_the_query(nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin, name="张四娘")
    response = token_client(nanshan_admin).post(f"{SEARCH}?page_size=1", {"q": "张"})
    body = response.json()
    assert body["count"] == 2 and "q=" not in body["next"]


@pytest.mark.parametrize("body", [{}, {"q": ""}, {"q": "x" * 51}, {"q": None}, {"q": ["zsf"]}])
def test_a_bad_search_is_a_field_error(nanshan_admin, body):
    response = token_client(nanshan_admin).post(SEARCH, body, format="json")
    assert response.status_code == 400 and "q" in response.json()


def test_the_list_costs_the_same_queries_for_more_files(nanshan_admin):
    client = token_client(nanshan_admin)
    file_zhang(nanshan_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    file_li(nanshan_admin)
    with CaptureQueriesContext(connection) as more:
        client.get(LIST)
    assert len(more) == len(few)


# One file ---------------------------------------------------------------------------------------


def test_reading_a_file_is_masked_and_one_view_in_the_audit_log(yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client = token_client(yuehai_manager)
    response = client.get(detail(zhang))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert response.json()["id_number"] == mask_id_number(ZHANG_ID)
    assert_no_secrets(response.content.decode())
    assert opened(zhang) == 1
    client.get(detail(zhang))
    assert opened(zhang) == 2


@pytest.mark.parametrize("who", ["futian_admin", "shekou_worker"])
def test_every_endpoint_of_a_file_outside_the_subtree_is_not_found(cast, who):
    zhang = file_zhang(cast["yuehai_manager"])
    consent = Consent.objects.create(
        resident=zhang, recorded_by=cast["yuehai_manager"], region_code=zhang.region_id, **CONSENT
    )
    client = token_client(cast[who])
    calls = [
        client.get(detail(zhang)),
        client.patch(detail(zhang), {"name": "改"}, format="json"),
        client.post(f"{detail(zhang)}unmask/", {"field": "id_number"}, format="json"),
        client.get(f"{detail(zhang)}consents/"),
        client.post(f"{detail(zhang)}consents/", CONSENT, format="json"),
        client.post(f"{detail(zhang)}consents/{consent.pk}/withdraw/"),
    ]
    for response in calls:
        assert response.status_code == 404, response.request["PATH_INFO"]
        assert "no-store" in response["Cache-Control"]
        assert_no_secrets(response.content.decode())
    zhang.refresh_from_db()
    consent.refresh_from_db()
    assert zhang.name == "张三丰" and consent.active and Consent.objects.count() == 1
    assert opened(zhang) == 0


def test_a_file_number_that_is_no_number_is_not_found(nanshan_admin):
    client = token_client(nanshan_admin)
    for pk in ("abc", "-1", str(10**30), "1.5"):
        assert client.get(f"{LIST}{pk}/").status_code == 404


def test_put_and_delete_are_not_allowed(nanshan_admin):
    zhang = file_zhang(nanshan_admin)
    client = token_client(nanshan_admin)
    assert client.put(detail(zhang), NEW_FILE, format="json").status_code == 405
    assert client.delete(detail(zhang)).status_code == 405
    assert Resident.objects.filter(pk=zhang.pk).exists()


# Create and change ------------------------------------------------------------------------------


def test_a_file_is_created_with_masked_output(yuehai_manager):
    response = token_client(yuehai_manager).post(LIST, NEW_FILE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["gender"] == "male" and body["categories"] == ["alone", "dibao"]
    assert body["id_number"] == mask_id_number(ZHANG_ID) and body["phone"] == "138****5678"
    assert_no_secrets(response.content.decode())
    zhang = Resident.objects.get()
    assert zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert_audit_holds_no_secrets()


def test_health_notes_come_with_a_consent(yuehai_manager):
    client = token_client(yuehai_manager)
    refused = client.post(LIST, {**NEW_FILE, "health_notes": "高血压"}, format="json")
    assert refused.status_code == 400 and "health_notes" in refused.json()
    data = {**NEW_FILE, "health_notes": "高血压", "consent": CONSENT}
    response = client.post(LIST, data, format="json")
    assert response.status_code == 201 and response.json()["has_health_notes"] is True
    assert Resident.objects.get().consents.get().text_version == "2026-1"


BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"name": None}, "name"),
    ({"id_number": LI_ID[:-1] + ("1" if LI_ID[-1] != "1" else "2")}, "id_number"),
    ({"id_number": "44030519400230013X"}, "id_number"),
    ({"id_number": 440305}, "id_number"),
    ({"gender": "female"}, "gender"),
    ({"phone": "12345"}, "phone"),
    ({"guardian_phone": "400-800-8888"}, "guardian_phone"),
    ({"region": "440305007"}, "region"),
    ({"region": FUTIAN_VILLAGE}, "region"),
    ({"region": "abc"}, "region"),
    ({"categories": ["nonsense"]}, "categories"),
    ({"categories": "dibao"}, "categories"),
    ({"categories": ["disabled"]}, "disability_grade"),
    ({"disability_grade": 9}, "disability_grade"),
    ({"risk_level": "extreme"}, "risk_level"),
    ({"notes": "\x00"}, "notes"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT)
def test_bad_input_is_a_field_error_and_nothing_is_written(yuehai_manager, changes, field):
    response = token_client(yuehai_manager).post(LIST, {**NEW_FILE, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Resident.objects.exists()


@pytest.mark.parametrize(
    ("consent", "field"),
    [({"given_by": "nobody"}, "given_by"), ({"given_on": "2026-02-30"}, "given_on")],
)
def test_consent_errors_are_under_consent(yuehai_manager, consent, field):
    data = {**NEW_FILE, "health_notes": "高血压", "consent": {**CONSENT, **consent}}
    response = token_client(yuehai_manager).post(LIST, data, format="json")
    assert response.status_code == 400 and field in response.json()["consent"]
    assert not Resident.objects.exists()


def test_a_childs_self_consent_is_refused_under_consent(yuehai_manager):
    from datetime import date

    from wushe.people.identity import make_id_number

    child = make_id_number("440305", date(2016, 3, 1), "022")
    data = {**NEW_FILE, "id_number": child, "health_notes": "哮喘", "consent": CONSENT}
    response = token_client(yuehai_manager).post(LIST, data, format="json")
    assert response.status_code == 400 and "given_by" in response.json()["consent"]
    assert not Resident.objects.exists()


@pytest.mark.parametrize("field", ["name", "notes", "risk_level", "categories", "region"])
def test_a_lone_surrogate_is_a_field_error(yuehai_manager, field):
    # JSON can escape half a UTF-16 pair, which no database, cipher or UTF-8 answer can hold.
    data = json.dumps({**NEW_FILE, field: "\ud800"}, ensure_ascii=True)
    client = token_client(yuehai_manager)
    response = client.post(LIST, data, content_type="application/json")
    assert response.status_code == 400
    assert not Resident.objects.exists()


def test_unreadable_bodies_are_a_400(yuehai_manager):
    client = token_client(yuehai_manager)
    response = client.generic("POST", LIST, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert client.post(LIST, json.dumps([1, 2]), content_type="application/json").status_code == 400


def test_a_person_filed_elsewhere_is_refused_without_details(yuehai_manager, futian_admin):
    file_zhang(yuehai_manager)
    data = {**NEW_FILE, "name": "某某", "region": FUTIAN_VILLAGE}
    response = token_client(futian_admin).post(LIST, data, format="json")
    assert response.status_code == 400
    text = response.content.decode()
    assert "id_number" in response.json()
    for detail_text in ("张三丰", "粤海", "科技园", "138****5678"):
        assert detail_text not in text
    assert Resident.objects.count() == 1


def test_a_partial_update_changes_only_what_is_sent(yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    response = token_client(yuehai_manager).patch(
        detail(zhang), {"name": "张三峰", "categories": ["dibao"]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["categories"] == ["dibao"]
    zhang.refresh_from_db()
    assert zhang.name == "张三峰" and zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert AuditEntry.objects.get(action=Action.UPDATE).changes["name"] == ["张三丰", "张三峰"]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT[:-3])
def test_a_bad_partial_update_changes_nothing(yuehai_manager, changes, field):
    zhang = file_zhang(yuehai_manager)
    response = token_client(yuehai_manager).patch(detail(zhang), changes, format="json")
    assert response.status_code == 400 and field in response.json()
    zhang = Resident.objects.get()
    assert zhang.name == "张三丰" and zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_an_auditor_cannot_write(yuehai_manager, nanshan_auditor):
    zhang = file_zhang(yuehai_manager)
    client = token_client(nanshan_auditor)
    assert client.post(LIST, {"name": 1}, format="json").status_code == 403  # before the payload
    response = client.patch(detail(zhang), {"name": "改"}, format="json")
    assert response.status_code == 403 and "no-store" in response["Cache-Control"]
    zhang.refresh_from_db()
    assert zhang.name == "张三丰" and Resident.objects.count() == 1
    assert names(client.get(LIST)) == {"张三丰"}  # reading is allowed


# Unmasking --------------------------------------------------------------------------------------


def test_unmasking_gives_the_number_and_is_audited(yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client = token_client(yuehai_manager)
    response = client.post(f"{detail(zhang)}unmask/", {"field": "id_number"}, format="json")
    assert response.status_code == 200 and response.json() == {"value": ZHANG_ID}
    assert "no-store" in response["Cache-Control"]
    phone = client.post(f"{detail(zhang)}unmask/", {"field": "phone"}, format="json")
    assert phone.json() == {"value": ZHANG_PHONE}
    entries = AuditEntry.objects.filter(action=Action.VIEW).order_by("seq")
    assert [e.changes for e in entries] == [
        {"viewed": "unmask id_number"},
        {"viewed": "unmask phone"},
    ]
    assert_audit_holds_no_secrets()


@pytest.mark.parametrize("body", [{}, {"field": "name"}, {"field": "health_notes"}, {"field": 1}])
def test_unmasking_another_field_is_a_field_error(yuehai_manager, body):
    zhang = file_zhang(yuehai_manager)
    response = token_client(yuehai_manager).post(f"{detail(zhang)}unmask/", body, format="json")
    assert response.status_code == 400 and "field" in response.json()
    assert opened(zhang) == 0


def test_an_auditor_cannot_unmask(yuehai_manager, nanshan_auditor):
    zhang = file_zhang(yuehai_manager)
    client = token_client(nanshan_auditor)
    response = client.post(f"{detail(zhang)}unmask/", {"field": "id_number"}, format="json")
    assert response.status_code == 403
    assert_no_secrets(response.content.decode())
    assert opened(zhang) == 0
    assert AuditEntry.objects.filter(actor=nanshan_auditor, success=False).exists()


def test_anonymous_requests_are_refused_and_not_cached(nanshan_admin):
    zhang = file_zhang(nanshan_admin)
    for response in (token_client().get(LIST), token_client().get(detail(zhang))):
        assert response.status_code == 401 and "no-store" in response["Cache-Control"]


def test_options_and_head_answer_every_endpoint(nanshan_admin):
    zhang = file_zhang(nanshan_admin)
    client = token_client(nanshan_admin)
    for path in (
        LIST,
        SEARCH,
        detail(zhang),
        f"{detail(zhang)}unmask/",
        f"{detail(zhang)}consents/",
        f"{detail(zhang)}consents/1/withdraw/",
    ):
        assert client.options(path).status_code == 200, path
        assert client.head(path).status_code in (200, 405), path
    assert opened(zhang) == 1  # HEAD of the file opens it, like GET; OPTIONS does not
