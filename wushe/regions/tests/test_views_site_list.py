from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import YUEHAI_VILLAGE, make_site
from wushe.audit.models import Action, AuditEntry
from wushe.regions.choices import SiteKind, SiteStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites(yuehai_station, yuehai_room, futian_station):
    shekou = make_site("440305005000", SiteKind.STATION, "蛇口街道社工站", SiteStatus.PLANNED)
    return {"yuehai_station": yuehai_station, "yuehai_room": yuehai_room, "shekou": shekou}


def names(response) -> list[str]:
    return [site.name for site in response.context["page"]]


def test_the_list_holds_only_sites_of_the_subtree(client, cast, sites):
    client.force_login(cast["nanshan_admin"])
    response = client.get(reverse("regions:site_list"))
    assert sorted(names(response)) == sorted(
        ["粤海街道社工站", "科技园社区社工室", "蛇口街道社工站"]
    )
    assert "服务站点" in response.content.decode()
    assert "园岭" not in response.content.decode()

    client.force_login(cast["shekou_worker"])
    assert names(client.get(reverse("regions:site_list"))) == ["蛇口街道社工站"]

    client.force_login(cast["futian_admin"])
    assert names(client.get(reverse("regions:site_list"))) == ["园岭街道社工站"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"kind": SiteKind.STATION}, ["粤海街道社工站", "蛇口街道社工站"]),
        ({"status": SiteStatus.PLANNED}, ["蛇口街道社工站"]),
        ({"q": "科技园"}, ["科技园社区社工室"]),
        ({"region": "440305007"}, ["粤海街道社工站", "科技园社区社工室"]),
        ({"region": "440304"}, []),  # 福田: filtering cannot reach outside the subtree
        ({"ordering": "-name"}, ["蛇口街道社工站", "粤海街道社工站", "科技园社区社工室"]),
    ],
)
def test_it_filters_and_sorts(client, nanshan_admin, sites, params, expected):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:site_list"), params)
    assert sorted(names(response)) == sorted(expected)
    if "ordering" in params:
        assert names(response) == expected


def test_a_bad_filter_value_is_shown_beside_the_field(client, nanshan_admin, sites):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:site_list"), {"kind": "castle"})
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_it_paginates_by_fifty(client, nanshan_admin):
    villages = ["440305005001", "440305005002", "440305005003"]
    for index in range(51):
        make_site(villages[index % 3], SiteKind.ROOM, f"room {index:02}", SiteStatus.CLOSED)
    client.force_login(nanshan_admin)
    first = client.get(reverse("regions:site_list"), {"ordering": "name"})
    assert len(names(first)) == 50
    assert "第 1 页，共 2 页" in first.content.decode()
    second = client.get(reverse("regions:site_list"), {"ordering": "name", "page": 2})
    assert names(second) == ["room 50"]
    assert client.get(reverse("regions:site_list"), {"page": "x"}).status_code == 200


def test_workers_and_auditors_see_no_new_site_button(client, cast, sites):
    for who, shown in [
        ("shekou_worker", False),
        ("nanshan_auditor", False),
        ("yuehai_manager", True),
    ]:
        client.force_login(cast[who])
        body = client.get(reverse("regions:site_list")).content.decode()
        assert (reverse("regions:site_create") in body) is shown, who


def read_rows(response) -> list[tuple]:
    book = load_workbook(BytesIO(response.content), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def test_the_export_holds_the_filtered_scoped_rows_and_is_audited(client, nanshan_admin, sites):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:site_export"), {"kind": SiteKind.STATION})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_rows(response)
    assert rows[0][:3] == ("区划代码", "区划", "名称")
    assert sorted(row[2] for row in rows[1:]) == ["粤海街道社工站", "蛇口街道社工站"]
    assert {row[0] for row in rows[1:]} == {"440305007", "440305005"}
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.object_type == "regions.site"
    assert entry.changes["rows"] == 2
    assert entry.actor == nanshan_admin


def test_futian_exports_nothing_of_nanshan(client, futian_admin, sites):
    client.force_login(futian_admin)
    rows = read_rows(client.get(reverse("regions:site_export")))
    assert [row[2] for row in rows[1:]] == ["园岭街道社工站"]


def test_an_export_with_a_bad_filter_writes_no_file(client, nanshan_admin, sites):
    client.force_login(nanshan_admin)
    response = client.get(reverse("regions:site_export"), {"status": "gone"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_the_list_speaks_english_once_chosen(client, nanshan_admin, sites):
    client.force_login(nanshan_admin)
    client.cookies["django_language"] = "en"
    body = client.get(reverse("regions:site_list")).content.decode()
    assert "Export to Excel" in body and "Township station" in body
    rows = read_rows(client.get(reverse("regions:site_export")))
    assert rows[0][:3] == ("Region code", "Region", "Name")


def test_the_list_query_count_does_not_grow_with_rows(
    client, nanshan_admin, sites, django_assert_max_num_queries
):
    client.force_login(nanshan_admin)
    make_site(YUEHAI_VILLAGE[:-1] + "4", SiteKind.ROOM, "深大社工室")
    with django_assert_max_num_queries(8):
        client.get(reverse("regions:site_list"))
