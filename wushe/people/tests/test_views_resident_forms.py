from datetime import date

import pytest
from django.urls import reverse

from conftest import FUTIAN_VILLAGE, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.people.identity import make_id_number, mask_id_number
from wushe.people.models import Consent, Resident
from wushe.people.tests.filing import (
    LI_ID,
    ZHANG_ID,
    ZHANG_PHONE,
    assert_audit_holds_no_secrets,
    assert_links_hold_no_secrets,
    assert_no_secrets,
    file_zhang,
)

pytestmark = pytest.mark.django_db

NEW = reverse("people:resident_create")
CHILD_ID = make_id_number("440305", date(2016, 3, 1), "022")
NEW_FILE = {
    "name": "张三丰",
    "id_number": ZHANG_ID,
    "phone": "138 1234 5678",
    "region": YUEHAI_VILLAGE,
    "address": "科技园1栋",
    "categories": ["dibao", "alone"],
    "guardian_name": "张小明",
    "guardian_relation": "儿子",
    "guardian_phone": "+86 137 1111 2222",
    "risk_level": "medium",
    "notes": "独居，需每月走访",
}
CONSENT = {
    "consent-given_by": "self",
    "consent-giver_name": "张三丰",
    "consent-method": "written",
    "consent-text_version": "2026-1",
    "consent-given_on": "2026-01-05",
}


def edit_url(resident) -> str:
    return reverse("people:resident_edit", args=[resident.pk])


def test_the_new_file_form_has_every_field_and_the_consent_block(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.get(NEW)
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    for name in [*NEW_FILE, "gender", "disability_grade", "health_notes", *CONSENT]:
        assert f'name="{name}"' in body, name


def test_a_file_is_opened_with_derived_gender_and_birth_date(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.post(NEW, NEW_FILE)
    zhang = Resident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:resident_detail", args=[zhang.pk])
    assert (zhang.gender, zhang.birth_date) == ("male", date(1940, 5, 6))
    assert zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert zhang.guardian_phone == "13711112222" and zhang.risk_level == "medium"
    assert set(zhang.categories.values_list("category", flat=True)) == {"dibao", "alone"}
    assert not zhang.consents.exists()
    assert AuditEntry.objects.filter(action=Action.CREATE, object_id=str(zhang.pk)).exists()
    assert_audit_holds_no_secrets()


def test_health_notes_are_saved_with_the_consent_block(client, yuehai_manager):
    client.force_login(yuehai_manager)
    response = client.post(NEW, {**NEW_FILE, "health_notes": "高血压", **CONSENT})
    assert response.status_code == 302
    zhang = Resident.objects.get()
    assert zhang.health_notes == "高血压"
    consent = zhang.consents.get()
    assert (consent.given_by, consent.text_version, consent.given_on) == (
        "self",
        "2026-1",
        date(2026, 1, 5),
    )


BAD_INPUT = [
    ({"name": ""}, "name"),
    ({"name": "名" * 51}, "name"),
    ({"id_number": ""}, "id_number"),
    ({"id_number": ZHANG_ID[:-1] + ("1" if ZHANG_ID[-1] != "1" else "2")}, "id_number"),
    ({"id_number": "44030519400230013X"}, "id_number"),
    ({"id_number": "1" * 41}, "id_number"),
    ({"gender": "female"}, "gender"),
    ({"gender": "other"}, "gender"),
    ({"phone": "12345"}, "phone"),
    ({"guardian_phone": "852 9123 4567"}, "guardian_phone"),
    ({"region": ""}, "region"),
    ({"region": "440305007"}, "region"),  # a street, not a village
    ({"region": FUTIAN_VILLAGE}, "region"),  # outside the subtree
    ({"region": "９９"}, "region"),
    ({"categories": ["nonsense"]}, "categories"),
    ({"categories": ["disabled"]}, "disability_grade"),
    ({"disability_grade": "2"}, "disability_grade"),
    ({"disability_grade": "5"}, "disability_grade"),
    ({"risk_level": "extreme"}, "risk_level"),
    ({"health_notes": "高血压"}, "health_notes"),  # no consent
    ({"notes": "\x00"}, "notes"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT)
def test_bad_input_is_an_error_beside_its_field_and_nothing_is_written(
    client, yuehai_manager, changes, field
):
    client.force_login(yuehai_manager)
    response = client.post(NEW, {**NEW_FILE, **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Resident.objects.exists() and not Consent.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.CREATE).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent-giver_name": ""}, "giver_name"),
        ({"consent-method": "telepathy"}, "method"),
        ({"consent-given_on": "2026-13-01"}, "given_on"),
        ({"consent-text_version": "v" * 21}, "text_version"),
    ],
)
def test_a_half_filled_consent_block_is_an_error_beside_its_field(
    client, yuehai_manager, changes, field
):
    client.force_login(yuehai_manager)
    response = client.post(NEW, {**NEW_FILE, **CONSENT, **changes})
    assert response.status_code == 400
    assert field in response.context["consent_form"].errors
    assert not Resident.objects.exists()


def test_a_childs_consent_must_be_the_guardians(client, yuehai_manager):
    client.force_login(yuehai_manager)
    child = {**NEW_FILE, "id_number": CHILD_ID, "name": "小明", "health_notes": "哮喘"}
    response = client.post(NEW, {**child, **CONSENT})
    assert response.status_code == 400
    assert "given_by" in response.context["consent_form"].errors
    assert not Resident.objects.exists()
    guardian = {**CONSENT, "consent-given_by": "guardian", "consent-giver_name": "小明妈妈"}
    assert client.post(NEW, {**child, **guardian}).status_code == 302


def test_a_person_filed_by_another_station_is_said_clearly_without_details(
    client, yuehai_manager, futian_admin
):
    file_zhang(yuehai_manager, address="科技园1栋")  # name, address, guardian: none shown
    client.force_login(futian_admin)
    data = {**NEW_FILE, "name": "某某", "region": FUTIAN_VILLAGE, "guardian_name": "某甲"}
    data["address"] = "园岭一路"
    response = client.post(NEW, data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "此人已由另一个社工站建档" in body
    assert 'role="alert"' in body
    assert "id_number" in response.context["form"].errors
    for detail in ("张三丰", "科技园", "粤海", "张小明", "138****5678"):
        assert detail not in body
    assert Resident.objects.count() == 1


def test_a_second_file_here_is_refused_beside_the_id_number(client, yuehai_manager):
    file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.post(NEW, {**NEW_FILE, "name": "张三"})
    assert response.status_code == 400
    assert "id_number" in response.context["form"].errors
    assert Resident.objects.count() == 1


def test_an_auditor_cannot_open_or_edit_a_file(client, yuehai_manager, nanshan_auditor):
    zhang = file_zhang(yuehai_manager)
    client.force_login(nanshan_auditor)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {**NEW_FILE, "id_number": LI_ID}).status_code == 403
    assert client.get(edit_url(zhang)).status_code == 403
    assert client.post(edit_url(zhang), {**NEW_FILE, "name": "改"}).status_code == 403
    zhang.refresh_from_db()
    assert zhang.name == "张三丰" and Resident.objects.count() == 1
    body = client.get(reverse("people:resident_list")).content.decode()
    assert NEW not in body


# Edit -------------------------------------------------------------------------------------------


def test_the_edit_form_never_holds_the_full_numbers(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.get(edit_url(zhang))
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert "张三丰" in body and mask_id_number(ZHANG_ID) in body and "138****5678" in body
    assert_no_secrets(body)
    assert_links_hold_no_secrets(body)


def test_an_edit_keeps_the_numbers_left_empty_and_records_the_changes(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    data = {**NEW_FILE, "id_number": "", "phone": "", "guardian_phone": "", "name": "张三峰"}
    data["categories"] = ["dibao"]
    response = client.post(edit_url(zhang), data)
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.name == "张三峰" and zhang.name_initials == "zsf"
    assert zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert zhang.guardian_phone == "13711112222"
    assert list(zhang.categories.values_list("category", flat=True)) == ["dibao"]
    entry = AuditEntry.objects.get(action=Action.UPDATE)
    assert entry.changes["name"] == ["张三丰", "张三峰"]
    assert "id_number" not in entry.changes and "phone" not in entry.changes
    assert_audit_holds_no_secrets()


def test_an_edit_changes_or_removes_a_phone(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    data = {**NEW_FILE, "id_number": "", "phone": "13900001111", "remove_guardian_phone": "on"}
    assert client.post(edit_url(zhang), data).status_code == 302
    zhang.refresh_from_db()
    assert zhang.phone == "13900001111" and zhang.guardian_phone == ""


@pytest.mark.parametrize(("changes", "field"), BAD_INPUT[3:])
def test_a_bad_edit_is_an_error_beside_its_field_and_nothing_changes(
    client, yuehai_manager, changes, field
):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.post(edit_url(zhang), {**NEW_FILE, "name": "改名", **changes})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "张三丰" in response.content.decode()  # the heading keeps the name on file
    zhang = Resident.objects.get()
    assert zhang.name == "张三丰" and zhang.id_number == ZHANG_ID
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()


def test_moving_a_file_to_another_street_is_refused_for_a_street_manager(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.post(edit_url(zhang), {**NEW_FILE, "region": "440305005001"})
    assert response.status_code == 400 and "region" in response.context["form"].errors
    assert Resident.objects.get().region_id == YUEHAI_VILLAGE != YUEHAI


ODD = ["\x00", "'; drop table x; --", "４４０３０５", "9" * 40, "-1", "1e999", "<script>", "%"]


@pytest.mark.parametrize("value", ODD)
def test_odd_input_never_breaks_the_forms(client, yuehai_manager, value):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    fields = [*NEW_FILE, "gender", "disability_grade", "health_notes", *CONSENT]
    data = {field: value for field in fields}
    assert client.post(NEW, data).status_code == 400
    assert client.post(edit_url(zhang), data).status_code == 400
    consent = {key.removeprefix("consent-"): value for key in CONSENT}
    path = reverse("people:consent_create", args=[zhang.pk])
    assert client.post(path, consent).status_code == 400
    assert Resident.objects.count() == 1 and not Consent.objects.exists()
