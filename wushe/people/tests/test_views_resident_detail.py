import pytest
from django.urls import reverse

from conftest import YUEHAI, make_user
from wushe.accounts.models import Role
from wushe.audit.models import Action, AuditEntry
from wushe.people.identity import mask_id_number
from wushe.people.models import Consent
from wushe.people.services import consent_record
from wushe.people.tests.filing import (
    CONSENT,
    GUARDIAN_PHONE,
    ZHANG_ID,
    ZHANG_PHONE,
    assert_audit_holds_no_secrets,
    assert_links_hold_no_secrets,
    assert_no_secrets,
    file_li,
    file_zhang,
)

pytestmark = pytest.mark.django_db


def url(name: str, resident, *args) -> str:
    return reverse(f"people:{name}", args=[resident.pk, *args])


def views_of(resident) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW,
        object_type="people.resident",
        object_id=str(resident.pk),
        success=True,
    ).count()


def test_the_detail_page_shows_the_file_masked(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.get(url("resident_detail", zhang))
    body = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "张三丰" in body and "科技园社区" in body and "低保" in body and "张小明" in body
    assert "高龄" in body  # born 1940
    assert mask_id_number(ZHANG_ID) in body and "138****5678" in body and "137****2222" in body
    assert_no_secrets(body)
    assert_links_hold_no_secrets(body)
    assert url("resident_edit", zhang) in body
    assert body.count(url("resident_unmask", zhang)) == 6  # action and hx-post, three numbers


def test_a_younger_resident_has_no_elderly_badge(client, nanshan_admin):
    li = file_li(nanshan_admin)
    client.force_login(nanshan_admin)
    assert "高龄" not in client.get(url("resident_detail", li)).content.decode()


def test_every_open_of_the_file_is_one_view_in_the_audit_log(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    client.get(url("resident_detail", zhang))
    assert views_of(zhang) == 1
    client.get(url("resident_detail", zhang))
    assert views_of(zhang) == 2
    entry = AuditEntry.objects.filter(action=Action.VIEW).latest("seq")
    assert entry.actor == yuehai_manager and entry.success and entry.changes == {"viewed": "file"}


def test_unmasking_shows_the_number_in_the_answer_and_is_audited(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    unmask = url("resident_unmask", zhang)
    fragment = client.post(unmask, {"field": "id_number"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "no-store" in fragment["Cache-Control"]
    assert fragment.content.decode().strip() == f'<span class="unmasked code">{ZHANG_ID}</span>'
    page = client.post(unmask, {"field": "phone"})
    assert ZHANG_PHONE in page.content.decode() and "<html" in page.content.decode()
    assert GUARDIAN_PHONE in client.post(unmask, {"field": "guardian_phone"}).content.decode()
    viewed = AuditEntry.objects.filter(action=Action.VIEW).order_by("seq")
    viewed = viewed.values_list("changes", flat=True)
    assert list(viewed) == [
        {"viewed": "unmask id_number"},
        {"viewed": "unmask phone"},
        {"viewed": "unmask guardian_phone"},
    ]
    assert_audit_holds_no_secrets()


def test_unmasking_is_a_post_only(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    assert client.get(url("resident_unmask", zhang), {"field": "phone"}).status_code == 405
    assert views_of(zhang) == 0


@pytest.mark.parametrize("field", ["", "name", "health_notes", "id_number'"])
def test_unmasking_another_field_is_refused(client, yuehai_manager, field):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.post(url("resident_unmask", zhang), {"field": field})
    assert response.status_code == 400
    assert_no_secrets(response.content.decode())
    assert views_of(zhang) == 0


def test_an_auditor_sees_the_file_masked_without_buttons_and_cannot_unmask(
    client, yuehai_manager, nanshan_auditor
):
    zhang = file_zhang(yuehai_manager, health_notes="高血压", consent=CONSENT)
    client.force_login(nanshan_auditor)
    body = client.get(url("resident_detail", zhang)).content.decode()
    assert "张三丰" in body and "高血压" not in body
    assert url("resident_unmask", zhang) not in body
    assert url("resident_edit", zhang) not in body
    assert url("consent_create", zhang) not in body
    response = client.post(url("resident_unmask", zhang), {"field": "id_number"})
    assert response.status_code == 403 and "no-store" in response["Cache-Control"]
    assert_no_secrets(response.content.decode())
    assert AuditEntry.objects.filter(actor=nanshan_auditor, success=False).count() == 1


def test_health_notes_are_shown_to_roles_that_may_see_personal_data(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager, health_notes="高血压", consent=CONSENT)
    client.force_login(yuehai_manager)
    assert "高血压" in client.get(url("resident_detail", zhang)).content.decode()


@pytest.mark.parametrize("who", ["futian_admin", "shekou_worker"])
def test_every_page_of_a_file_outside_the_subtree_is_not_found(client, cast, who):
    zhang = file_zhang(cast["yuehai_manager"])
    consent = consent_record(actor=cast["yuehai_manager"], resident=zhang, **CONSENT)
    client.force_login(cast[who])
    for name in ("resident_detail", "resident_edit", "consent_create"):
        response = client.get(url(name, zhang))
        assert response.status_code == 404, name
        assert "no-store" in response["Cache-Control"]
    posts = [
        (url("resident_edit", zhang), {"name": "改", "region": "440305007003"}),
        (url("resident_unmask", zhang), {"field": "id_number"}),
        (url("consent_create", zhang), {**CONSENT, "given_on": "2026-01-05"}),
        (url("consent_withdraw", zhang, consent.pk), {}),
    ]
    for path, data in posts:
        response = client.post(path, data)
        assert response.status_code == 404, path
        assert_no_secrets(response.content.decode())
    zhang.refresh_from_db()
    consent.refresh_from_db()
    assert zhang.name == "张三丰" and consent.active and Consent.objects.count() == 1
    assert views_of(zhang) == 0  # nothing was opened
    denied = AuditEntry.objects.filter(actor=cast[who], success=False)
    assert denied.count() == 7 and not denied.filter(object_repr__contains="张").exists()


def test_a_missing_or_too_large_number_is_not_found(client, nanshan_admin):
    client.force_login(nanshan_admin)
    for pk in (987654, 10**30):
        assert client.get(reverse("people:resident_detail", args=[pk])).status_code == 404


# Consent ----------------------------------------------------------------------------------------


def test_a_consent_is_recorded_and_withdrawn_from_the_file(client, yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    response = client.post(url("consent_create", zhang), {**CONSENT, "given_on": "2026-01-05"})
    assert response.status_code == 302 and response.url == url("resident_detail", zhang)
    consent = zhang.consents.get()
    assert consent.active and consent.recorded_by == yuehai_manager
    body = client.get(url("resident_detail", zhang)).content.decode()
    assert "2026-1" in body and url("consent_withdraw", zhang, consent.pk) in body
    response = client.post(url("consent_withdraw", zhang, consent.pk))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert not consent.active
    body = client.get(url("resident_detail", zhang)).content.decode()
    assert url("consent_withdraw", zhang, consent.pk) not in body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_by": ""}, "given_by"),
        ({"given_by": "nobody"}, "given_by"),
        ({"giver_name": ""}, "giver_name"),
        ({"giver_name": "名" * 51}, "giver_name"),
        ({"method": "telepathy"}, "method"),
        ({"text_version": ""}, "text_version"),
        ({"given_on": "2026-02-30"}, "given_on"),
        ({"given_on": "\x00"}, "given_on"),
    ],
)
def test_a_bad_consent_is_a_field_error_and_nothing_is_written(
    client, yuehai_manager, changes, field
):
    zhang = file_zhang(yuehai_manager)
    client.force_login(yuehai_manager)
    data = {**CONSENT, "given_on": "2026-01-05", **changes}
    response = client.post(url("consent_create", zhang), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Consent.objects.exists()


def test_a_childs_consent_given_by_the_child_is_refused_beside_the_field(client, nanshan_admin):
    from datetime import date

    from wushe.people.identity import make_id_number

    child = file_li(nanshan_admin, id_number=make_id_number("440305", date(2020, 3, 1), "022"))
    client.force_login(nanshan_admin)
    data = {**CONSENT, "given_on": "2026-01-05"}
    response = client.post(url("consent_create", child), data)
    assert response.status_code == 400
    assert "given_by" in response.context["form"].errors
    assert not Consent.objects.exists()


@pytest.mark.parametrize("who", ["nanshan_auditor"])
def test_an_auditor_cannot_record_or_withdraw_consent(client, cast, who):
    zhang = file_zhang(cast["yuehai_manager"])
    consent = consent_record(actor=cast["yuehai_manager"], resident=zhang, **CONSENT)
    client.force_login(cast[who])
    assert client.get(url("consent_create", zhang)).status_code == 403
    data = {**CONSENT, "given_on": "2026-01-05"}
    assert client.post(url("consent_create", zhang), data).status_code == 403
    assert client.post(url("consent_withdraw", zhang, consent.pk)).status_code == 403
    consent.refresh_from_db()
    assert consent.active and Consent.objects.count() == 1


def test_a_worker_of_the_street_may_unmask_and_write(client, yuehai_manager):
    worker = make_user("yuehai_worker", YUEHAI, Role.WORKER)
    zhang = file_zhang(yuehai_manager)
    client.force_login(worker)
    assert client.post(url("resident_unmask", zhang), {"field": "phone"}).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["resident_detail", "resident_edit", "resident_unmask", "consent_create", "consent_withdraw"],
)
def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_cached(client, nanshan_admin, name):
    zhang = file_zhang(nanshan_admin)
    args = [zhang.pk, 1] if name == "consent_withdraw" else [zhang.pk]
    path = reverse(f"people:{name}", args=args)
    response = (
        client.post(path) if name in ("resident_unmask", "consent_withdraw") else client.get(path)
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={path}"
    assert "no-store" in response["Cache-Control"]


def test_the_file_links_the_same_persons_other_roles(client, yuehai_manager):
    # One person, one identity: 张 volunteers too; the volunteer record is the same ID hash.
    from wushe.volunteers.tests.sample import register_wang

    zhang = file_zhang(yuehai_manager)
    volunteer = register_wang(yuehai_manager, name=zhang.name, id_number=ZHANG_ID)
    assert volunteer.id_hash == zhang.id_hash
    client.force_login(yuehai_manager)
    page = client.get(url("resident_detail", zhang)).content.decode()
    assert "同时是志愿者" in page
    assert reverse("volunteers:volunteer_detail", args=[volunteer.pk]) in page
    assert ZHANG_ID not in page
