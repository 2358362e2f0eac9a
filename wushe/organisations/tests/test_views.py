"""The organisation pages: list and filters, forms with errors in Chinese, detail, incubation."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import SHEKOU, YUEHAI
from wushe.audit.models import AuditEntry
from wushe.organisations.models import IncubationPeriod, Organisation
from wushe.organisations.tests.sample import credit_code, make_organisation

pytestmark = pytest.mark.django_db

FORM = {
    "name": "南山区阳光社工服务中心",
    "kind": "social_work",
    "credit_code": "",
    "region": "440305007",
    "service_areas": ["elderly", "family"],
    "contact_person": "王主任",
    "contact_phone": "13800138000",
    "address": "科技园路1号",
    "founded_on": "2019-05-20",
    "status": "active",
    "note": "",
}


@pytest.fixture
def manager_client(client, yuehai_manager):
    client.force_login(yuehai_manager)
    return client


def test_the_list_shows_and_filters_organisations(manager_client, nanshan_admin):
    make_organisation(nanshan_admin, YUEHAI, 1, name="粤海长者服务社")
    make_organisation(nanshan_admin, SHEKOU, 2, name="蛇口青年会")  # outside 粤海
    page = manager_client.get("/organisations/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "粤海长者服务社" in text and "蛇口青年会" not in text
    assert "社会组织" in text  # Chinese by default
    filtered = manager_client.get("/organisations/", {"service_area": "youth"})
    assert "粤海长者服务社" not in filtered.content.decode()
    assert manager_client.get("/organisations/", {"kind": "nonsense"}).status_code == 400


def test_registering_with_bad_fields_shows_chinese_errors_and_writes_nothing(manager_client):
    data = {
        **FORM,
        "credit_code": "91350100M000100Y44",
        "contact_phone": "12345",
        "service_areas": [],
        "region": "440304002",  # 福田: not the manager's
    }
    page = manager_client.post("/organisations/new/", data)
    assert page.status_code == 400
    errors = page.context["form"].errors
    assert set(errors) == {"service_areas", "region"}  # the form's own checks come first
    assert "该字段是必填项。" in page.content.decode()
    assert not Organisation.objects.exists()
    data = {**FORM, "credit_code": "91350100M000100Y44", "contact_phone": "12345"}
    page = manager_client.post("/organisations/new/", data)
    assert page.status_code == 400
    assert set(page.context["form"].errors) == {"credit_code", "contact_phone"}
    assert "校验码" in page.content.decode()
    assert not Organisation.objects.exists()


def test_registering_and_editing_an_organisation(manager_client):
    data = {**FORM, "credit_code": credit_code(3).lower()}
    answer = manager_client.post("/organisations/new/", data)
    organisation = Organisation.objects.get()
    assert answer.status_code == 302 and answer.url == f"/organisations/{organisation.pk}/"
    assert organisation.credit_code == credit_code(3)
    detail = manager_client.get(answer.url)
    assert detail.status_code == 200
    assert "民政" in detail.content.decode()  # the credit code's authority
    edit = manager_client.get(f"/organisations/{organisation.pk}/edit/")
    assert edit.status_code == 200 and credit_code(3) in edit.content.decode()
    data["name"] = "南山区阳光社会工作服务中心"
    data["service_areas"] = ["youth"]
    answer = manager_client.post(f"/organisations/{organisation.pk}/edit/", data)
    assert answer.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == data["name"]
    assert list(organisation.service_areas.values_list("area", flat=True)) == ["youth"]


def test_a_social_worker_cannot_change_the_status_on_the_page(client, shekou_worker):
    client.force_login(shekou_worker)
    organisation = make_organisation(shekou_worker, SHEKOU, 4)
    data = {**FORM, "region": "440305005", "credit_code": organisation.credit_code}
    data["status"] = "deregistered"
    page = client.post(f"/organisations/{organisation.pk}/edit/", data)
    assert page.status_code == 400 and "status" in page.context["form"].errors
    organisation.refresh_from_db()
    assert organisation.status == "active"


def test_entering_and_leaving_an_incubation_base(manager_client, yuehai_manager, yuehai_station):
    organisation = make_organisation(yuehai_manager, YUEHAI, 5)
    base = f"/organisations/{organisation.pk}/incubation/"
    page = manager_client.post(base + "enter/", {"entered_on": "2025-02-01"})
    assert page.status_code == 400 and "site" in page.context["enter_form"].errors
    page = manager_client.post(base + "enter/", {"site": "99999999999999999999999"})
    assert page.status_code == 400
    answer = manager_client.post(
        base + "enter/", {"site": str(yuehai_station.pk), "entered_on": "2025-02-01"}
    )
    assert answer.status_code == 302
    detail = manager_client.get(f"/organisations/{organisation.pk}/")
    assert "在孵" in detail.content.decode() and detail.context["show_leave"]
    page = manager_client.post(base + "leave/", {"left_on": "2025-01-01"})
    assert page.status_code == 400 and "left_on" in page.context["leave_form"].errors
    page = manager_client.post(base + "enter/", {"base_name": "基地", "entered_on": "2025-03-01"})
    assert page.status_code == 400 and page.context["enter_form"].errors
    assert not page.context["show_leave"]  # the failed form stays, with its error
    assert manager_client.post(base + "leave/", {"left_on": "2025-06-30"}).status_code == 302
    assert IncubationPeriod.objects.get().left_on == date(2025, 6, 30)


def test_an_auditor_reads_but_cannot_write(client, nanshan_auditor, yuehai_manager):
    client.force_login(nanshan_auditor)
    organisation = make_organisation(yuehai_manager, YUEHAI, 6)
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 200
    assert client.get("/organisations/new/").status_code == 403
    assert client.post(f"/organisations/{organisation.pk}/edit/", FORM).status_code == 403
    page = client.post(f"/organisations/{organisation.pk}/incubation/enter/", {"base_name": "基地"})
    assert page.status_code == 403
    denied = AuditEntry.objects.filter(success=False, actor=nanshan_auditor)
    assert denied.count() == 3


def test_the_pages_speak_english_when_chosen(manager_client, yuehai_manager):
    organisation = make_organisation(yuehai_manager, YUEHAI, 7)
    manager_client.cookies["django_language"] = "en"
    page = manager_client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert "Social work agency" in page and "Civil affairs" in page
    page = manager_client.post("/organisations/new/", {**FORM, "credit_code": "12"})
    assert "A unified social credit code has 18 characters." in page.content.decode()


def test_the_list_page_and_api_query_a_constant_number_of_times(
    manager_client, yuehai_manager, django_assert_max_num_queries
):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(yuehai_manager)
    make_organisation(yuehai_manager, YUEHAI, 8)
    with django_assert_max_num_queries(12) as few:
        manager_client.get("/organisations/")
    with django_assert_max_num_queries(8) as few_api:
        api.get("/api/organisations/")
    for sequence in range(9, 15):
        make_organisation(yuehai_manager, YUEHAI, sequence)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(manager_client.get("/organisations/").context["page"]) == 7
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert api.get("/api/organisations/").json()["count"] == 7
