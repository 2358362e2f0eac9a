import io
import re
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wushe.audit.models import Action, AuditEntry
from wushe.people import views
from wushe.people.identity import make_id_number, mask_id_number
from wushe.people.tests.filing import (
    LI_ID,
    ZHANG_ID,
    ZHANG_PHONE,
    assert_audit_holds_no_secrets,
    assert_links_hold_no_secrets,
    assert_no_secrets,
    file_li,
    file_zhang,
)

pytestmark = pytest.mark.django_db

LIST = reverse("people:resident_list")
EXPORT = reverse("people:resident_export")


def names_in(response) -> set[str]:
    """The names the table links to (the search box may repeat a name searched for)."""
    return set(re.findall(r'<a href="/residents/\d+/">([^<]+)</a>', response.content.decode()))


def rows_of(response) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_list_shows_masked_numbers_age_village_and_categories(client, nanshan_admin):
    file_zhang(nanshan_admin)
    client.force_login(nanshan_admin)
    response = client.get(LIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "张三丰" in body and "科技园社区" in body and "低保" in body and "高龄" in body
    assert mask_id_number(ZHANG_ID) in body and "138****5678" in body
    assert_no_secrets(body)
    assert_links_hold_no_secrets(body)


def test_every_list_answer_is_not_stored_by_caches(client, nanshan_admin):
    client.force_login(nanshan_admin)
    assert "no-store" in client.get(LIST)["Cache-Control"]
    assert "no-store" in client.post(LIST, {"q": "zsf"})["Cache-Control"]
    assert "no-store" in client.get(EXPORT)["Cache-Control"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"category": "dibao"}, {"张三丰"}),
        ({"category": "dibian"}, {"李四娘"}),
        ({"category": "orphan"}, set()),
        ({"risk_level": "high"}, {"李四娘"}),
        ({"village": "440305007"}, {"张三丰"}),
        ({"village": "440305"}, {"张三丰", "李四娘"}),
        ({"village": "440304"}, set()),
        ({"village": "not a code"}, set()),
    ],
)
def test_it_filters_by_category_village_and_risk(client, nanshan_admin, params, expected):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    assert names_in(client.get(LIST, params)) == expected


@pytest.mark.parametrize("query", ["张三", "zhangsanfeng", "zsf", ZHANG_ID, ZHANG_ID.lower()])
def test_the_search_is_posted_and_finds_by_name_pinyin_initials_and_id(
    client, nanshan_admin, query
):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    response = client.post(LIST, {"q": query})
    assert response.status_code == 200
    assert names_in(response) == {"张三丰"}
    body = response.content.decode()
    assert_no_secrets(body)  # a number searched for is not even repeated in the search box
    assert_links_hold_no_secrets(body)


@pytest.mark.parametrize("query", [ZHANG_PHONE, "138 1234", ZHANG_ID[:12]])
def test_a_number_that_is_no_id_number_is_not_repeated_at_all(client, nanshan_admin, query):
    file_zhang(nanshan_admin)
    client.force_login(nanshan_admin)
    response = client.post(LIST, {"q": query})
    assert names_in(response) == set()
    body = response.content.decode()
    assert "*" * len(query.replace(" ", "")) in body
    assert query not in body and "381234" not in body and ZHANG_ID[6:12] not in body


def test_a_search_in_the_query_string_is_ignored(client, nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    assert names_in(client.get(LIST, {"q": ZHANG_ID})) == {"张三丰", "李四娘"}


def test_the_search_keeps_the_filters_of_the_url(client, nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin, name="张四娘")
    client.force_login(nanshan_admin)
    response = client.post(f"{LIST}?village=440305007", {"q": "张"})
    assert names_in(response) == {"张三丰"}


def test_search_results_page_by_post(client, nanshan_admin, monkeypatch):
    for n in range(3):
        file_zhang(nanshan_admin, id_number=make_id_number("440305", date(1950, 1, 1), 100 + n))
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(nanshan_admin)
    first = client.post(LIST, {"q": "zsf"}).content.decode()
    second = client.post(LIST, {"q": "zsf", "page": "2"}).content.decode()
    assert 'name="page" value="2"' in first and first.count(">张三丰</a>") == 2
    assert 'name="page" value="1"' in second and second.count(">张三丰</a>") == 1


@pytest.mark.parametrize("who", ["futian_admin", "shekou_worker"])
def test_files_outside_the_subtree_are_absent_from_list_search_and_export(client, cast, who):
    file_zhang(cast["yuehai_manager"])
    client.force_login(cast[who])
    assert names_in(client.get(LIST)) == set()
    for query in ("zsf", "张三丰", ZHANG_ID):
        assert names_in(client.post(LIST, {"q": query})) == set()
    export = client.get(EXPORT)
    assert len(rows_of(export)) == 1  # the header only
    assert AuditEntry.objects.get(action=Action.EXPORT).changes["rows"] == 0
    assert len(rows_of(client.post(EXPORT, {"q": "zsf"}))) == 1


def test_the_export_is_masked_as_on_screen_and_audited_with_its_row_count(client, nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    response = client.get(EXPORT, {"village": "440305"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="residents-')
    rows = rows_of(response)
    assert len(rows) == 3
    text = repr(rows)
    assert_no_secrets(text)
    assert mask_id_number(ZHANG_ID) in text and mask_id_number(LI_ID) in text
    assert "138****5678" in text and "高龄" in text
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.object_type == "people.resident"
    assert entry.changes == {"rows": 2, "filters": {"village": "440305"}, "searched": False}
    assert_audit_holds_no_secrets()


def test_an_export_of_a_search_holds_the_results_and_not_the_query(client, nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    rows = rows_of(client.post(EXPORT, {"q": ZHANG_ID}))
    assert [row[0] for row in rows[1:]] == ["张三丰"]
    assert AuditEntry.objects.get(action=Action.EXPORT).changes["searched"] is True
    assert_audit_holds_no_secrets()


def test_the_list_page_costs_the_same_queries_for_more_files(client, nanshan_admin):
    file_zhang(nanshan_admin)
    client.force_login(nanshan_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    file_li(nanshan_admin)
    with CaptureQueriesContext(connection) as more:
        client.get(LIST)
    assert len(more) == len(few)


ODD = ["\x00", "'; drop table x; --", "４４０３０５", "9" * 40, "-1", "<script>", "%", "1" * 18]


@pytest.mark.parametrize("value", ODD)
def test_odd_input_never_breaks_the_list_or_the_export(client, nanshan_admin, value):
    file_zhang(nanshan_admin)
    client.force_login(nanshan_admin)
    params = {key: value for key in ("category", "village", "risk_level", "page")}
    for url in (LIST, EXPORT):
        assert client.get(url, params).status_code in (200, 400)
        response = client.post(f"{url}?page={value[:3]}", {"q": value, "page": value})
        assert response.status_code in (200, 400)
        assert b"<script>" not in response.content
    assert ZHANG_PHONE not in client.post(LIST, {"q": value}).content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    for url in (LIST, EXPORT):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
