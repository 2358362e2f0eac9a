import pytest
from django.urls import reverse

from conftest import YUEHAI, YUEHAI_VILLAGE, make_user
from wushe.accounts.models import Role
from wushe.audit.models import Action, AuditEntry
from wushe.regions.choices import SiteKind, SiteStatus
from wushe.regions.models import Site

pytestmark = pytest.mark.django_db

NEW_ROOM = {
    "name": "深圳大学社区社工室",
    "kind": SiteKind.ROOM,
    "region": "440305007004",
    "status": SiteStatus.OPERATING,
    "address": "南山区深大",
    "opened_on": "2024-03-01",
    "floor_area": "85.5",
    "operator": "南山区社工服务中心",
    "has_venue": "on",
    "venue_note": "两间活动室",
}


def edit_data(site: Site, **changes) -> dict:
    data = {
        "name": site.name,
        "kind": site.kind,
        "region": site.region.display_code,
        "status": site.status,
    }
    return {**data, **changes}


def url(name: str, site: Site) -> str:
    return reverse(f"regions:{name}", args=[site.pk])


# Detail ---------------------------------------------------------------------------------------


def test_the_detail_page_shows_fields_six_haves_and_staff(client, yuehai_manager, yuehai_station):
    Site.objects.filter(pk=yuehai_station.pk).update(has_rules=True, rules_note="制度上墙")
    yuehai_station.staff.add(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.get(url("site_detail", yuehai_station))
    body = response.content.decode()
    assert response.status_code == 200
    assert "粤海街道社工站" in body and "六有" in body and "制度上墙" in body
    assert "yuehai_manager" in body
    assert url("site_edit", yuehai_station) in body
    assert url("site_delete", yuehai_station) not in body  # managers do not delete


def test_the_detail_page_speaks_english_once_chosen(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    client.cookies["django_language"] = "en"
    body = client.get(url("site_detail", yuehai_station)).content.decode()
    assert "Six haves" in body and "Operating" in body


@pytest.mark.parametrize("who", ["futian_admin", "shekou_worker"])
@pytest.mark.parametrize("page", ["site_detail", "site_edit", "site_delete"])
def test_a_site_outside_the_subtree_is_not_found(client, cast, yuehai_station, who, page):
    client.force_login(cast[who])
    assert client.get(url(page, yuehai_station)).status_code == 404
    if page != "site_detail":
        response = client.post(url(page, yuehai_station), edit_data(yuehai_station, name="X"))
        assert response.status_code == 404
    assert Site.objects.filter(pk=yuehai_station.pk, name="粤海街道社工站").exists()
    denied = AuditEntry.objects.filter(success=False, actor=cast[who])
    assert denied.exists() and not denied.filter(object_repr__contains="粤海").exists()


@pytest.mark.parametrize("who", ["nanshan_auditor", "yuehai_worker"])
def test_workers_and_auditors_see_no_edit_buttons_and_get_403(client, cast, yuehai_station, who):
    user = cast.get(who) or make_user(who, YUEHAI, Role.WORKER)
    client.force_login(user)
    body = client.get(url("site_detail", yuehai_station)).content.decode()
    assert url("site_edit", yuehai_station) not in body
    assert client.get(url("site_edit", yuehai_station)).status_code == 403
    response = client.post(url("site_edit", yuehai_station), edit_data(yuehai_station, name="X"))
    assert response.status_code == 403
    assert client.get(reverse("regions:site_create")).status_code == 403
    assert client.post(reverse("regions:site_delete", args=[yuehai_station.pk])).status_code == 403
    assert Site.objects.get(pk=yuehai_station.pk).name == "粤海街道社工站"
    assert "您的角色无权" in client.get(url("site_edit", yuehai_station)).content.decode()


# Create ---------------------------------------------------------------------------------------


def test_a_manager_creates_a_site_and_it_is_audited(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.post(
        reverse("regions:site_create"), {**NEW_ROOM, "staff": [yuehai_manager.pk]}
    )
    site = Site.objects.get(name="深圳大学社区社工室")
    assert response.status_code == 302 and response.url == url("site_detail", site)
    assert site.region_id == "440305007004" and str(site.floor_area) == "85.5"
    assert site.has_venue and site.venue_note == "两间活动室" and not site.has_rules
    assert list(site.staff.all()) == [yuehai_manager]
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="regions.site")
    assert entry.actor == yuehai_manager and entry.object_id == str(site.pk)


def test_the_create_form_is_prefilled_with_the_region_it_came_from(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.get(reverse("regions:site_create"), {"region": "440305007004"})
    assert response.status_code == 200
    assert 'value="440305007004"' in response.content.decode()


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"floor_area": "-5"}, "floor_area", "大于或等于"),
        ({"floor_area": "很大"}, "floor_area", "输入一个数字"),
        ({"region": "440304002016"}, "region", "没有该区划"),  # 福田
        ({"region": "440305005001"}, "region", "没有该区划"),  # 蛇口, outside 粤海
        ({"region": "12345"}, "region", "不是区划代码"),
        ({"kind": SiteKind.STATION}, "region", "必须设在"),  # a station on a village
        ({"name": ""}, "name", "必填"),
        ({"opened_on": "2024-13-45"}, "opened_on", "日期"),
        ({"kind": "castle"}, "kind", "选择一个有效的选项"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_nothing_is_written(
    client, yuehai_manager, change, field, message
):
    client.force_login(yuehai_manager)
    response = client.post(reverse("regions:site_create"), {**NEW_ROOM, **change})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors, errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Site.objects.exists()
    assert not AuditEntry.objects.filter(object_type="regions.site").exists()


def test_a_second_station_for_one_township_is_refused_beside_the_region(
    client, yuehai_manager, yuehai_station
):
    client.force_login(yuehai_manager)
    data = {**NEW_ROOM, "name": "第二个社工站", "kind": SiteKind.STATION, "region": "440305007"}
    response = client.post(reverse("regions:site_create"), data)
    assert response.status_code == 400
    assert "已有一个未关闭的同类站点" in " ".join(response.context["form"].errors["region"])
    assert Site.objects.count() == 1


def test_the_bad_input_message_is_english_once_chosen(client, yuehai_manager):
    client.force_login(yuehai_manager)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("regions:site_create"), {**NEW_ROOM, "region": "440304"})
    assert "No such region." in response.content.decode()


def test_the_staff_chooser_offers_only_people_the_editor_can_see(client, cast):
    client.force_login(cast["yuehai_manager"])
    choices = client.get(reverse("regions:site_create")).context["form"].fields["staff"].queryset
    assert list(choices) == [cast["yuehai_manager"]]
    response = client.post(
        reverse("regions:site_create"), {**NEW_ROOM, "staff": [cast["shekou_worker"].pk]}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["staff"]
    assert not Site.objects.exists()


# Edit -----------------------------------------------------------------------------------------


def test_a_manager_edits_a_site_and_the_change_is_audited(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    response = client.get(url("site_edit", yuehai_station))
    assert response.status_code == 200 and "编辑服务站点" in response.content.decode()
    data = edit_data(yuehai_station, floor_area="120", has_services="on")
    response = client.post(url("site_edit", yuehai_station), data)
    assert response.status_code == 302
    site = Site.objects.get(pk=yuehai_station.pk)
    assert str(site.floor_area) == "120.0" and site.has_services
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="regions.site")
    assert entry.changes["floor_area"] == [None, "120"]
    assert entry.changes["has_services"] == ["False", "True"]


def test_an_edit_keeps_staff_the_editor_cannot_see(client, cast, yuehai_station):
    # 南山's administrator put a county-level colleague on 粤海's staff; 粤海's manager
    # cannot see that person, and editing the address must not drop them.
    yuehai_station.staff.add(cast["nanshan_auditor"], cast["yuehai_manager"])
    client.force_login(cast["yuehai_manager"])
    data = edit_data(yuehai_station, address="新地址", staff=[cast["yuehai_manager"].pk])
    assert client.post(url("site_edit", yuehai_station), data).status_code == 302
    site = Site.objects.get(pk=yuehai_station.pk)
    assert site.address == "新地址"
    assert set(site.staff.all()) == {cast["nanshan_auditor"], cast["yuehai_manager"]}


def test_a_bad_edit_writes_nothing(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    data = edit_data(yuehai_station, name="改名", region=YUEHAI_VILLAGE)  # a station on a village
    response = client.post(url("site_edit", yuehai_station), data)
    assert response.status_code == 400
    assert "粤海街道社工站" in response.content.decode()  # the heading keeps the saved name
    assert Site.objects.get(pk=yuehai_station.pk).name == "粤海街道社工站"
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


# Delete ---------------------------------------------------------------------------------------


def test_an_administrator_deletes_after_confirming(client, nanshan_admin, yuehai_station):
    client.force_login(nanshan_admin)
    confirm = client.get(url("site_delete", yuehai_station))
    assert confirm.status_code == 200 and "不可撤销" in confirm.content.decode()
    assert Site.objects.filter(pk=yuehai_station.pk).exists()
    response = client.post(url("site_delete", yuehai_station))
    assert response.status_code == 302
    assert not Site.objects.filter(pk=yuehai_station.pk).exists()
    assert AuditEntry.objects.filter(
        action=Action.DELETE, object_id=str(yuehai_station.pk)
    ).exists()


def test_a_manager_may_not_delete(client, yuehai_manager, yuehai_station):
    client.force_login(yuehai_manager)
    assert client.post(url("site_delete", yuehai_station)).status_code == 403
    assert Site.objects.filter(pk=yuehai_station.pk).exists()
