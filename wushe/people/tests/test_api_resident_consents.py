import pytest

from wushe.audit.models import AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.people.models import Consent
from wushe.people.services import consent_record
from wushe.people.tests.filing import CONSENT, file_zhang

pytestmark = pytest.mark.django_db

BODY = {**CONSENT, "given_on": "2026-01-05"}


def consents_url(resident) -> str:
    return f"/api/residents/{resident.pk}/consents/"


def test_consents_are_recorded_listed_and_withdrawn(yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    client = token_client(yuehai_manager)
    created = client.post(consents_url(zhang), BODY, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["active"] is True and created.json()["recorded_by"] == yuehai_manager.pk
    listed = client.get(consents_url(zhang))
    assert [c["id"] for c in listed.json()] == [created.json()["id"]]
    assert "no-store" in listed["Cache-Control"]
    withdrawn = client.post(f"{consents_url(zhang)}{created.json()['id']}/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["active"] is False
    assert Consent.objects.get().withdrawn_at is not None
    assert AuditEntry.objects.filter(object_type="people.consent").count() == 2


def test_withdrawal_blocks_new_health_notes(yuehai_manager):
    zhang = file_zhang(yuehai_manager)
    consent = consent_record(actor=yuehai_manager, resident=zhang, **CONSENT)
    client = token_client(yuehai_manager)
    path = f"/api/residents/{zhang.pk}/"
    assert client.patch(path, {"health_notes": "糖尿病"}, format="json").status_code == 200
    client.post(f"{consents_url(zhang)}{consent.pk}/withdraw/")
    response = client.patch(path, {"health_notes": "糖尿病，已控制"}, format="json")
    assert response.status_code == 400 and "health_notes" in response.json()
    zhang.refresh_from_db()
    assert zhang.health_notes == "糖尿病"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"given_by": "x"}, "given_by"),
        ({"giver_name": ""}, "giver_name"),
        ({"method": None}, "method"),
        ({"text_version": "v" * 21}, "text_version"),
        ({"given_on": "yesterday"}, "given_on"),
    ],
)
def test_a_bad_consent_is_a_field_error(yuehai_manager, changes, field):
    zhang = file_zhang(yuehai_manager)
    response = token_client(yuehai_manager).post(
        consents_url(zhang), {**BODY, **changes}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Consent.objects.exists()


def test_a_consent_of_another_file_or_no_number_is_not_found(yuehai_manager, nanshan_admin):
    from wushe.people.tests.filing import file_li

    zhang = file_zhang(yuehai_manager)
    li = file_li(nanshan_admin)
    other = consent_record(actor=nanshan_admin, resident=li, **CONSENT)
    client = token_client(nanshan_admin)
    for consent_id in (other.pk, "abc", 10**30):
        response = client.post(f"{consents_url(zhang)}{consent_id}/withdraw/")
        assert response.status_code == 404
    other.refresh_from_db()
    assert other.active


def test_an_auditor_reads_consents_but_cannot_record_or_withdraw(yuehai_manager, nanshan_auditor):
    zhang = file_zhang(yuehai_manager)
    consent = consent_record(actor=yuehai_manager, resident=zhang, **CONSENT)
    client = token_client(nanshan_auditor)
    assert client.get(consents_url(zhang)).status_code == 200
    assert client.post(consents_url(zhang), BODY, format="json").status_code == 403
    assert client.post(f"{consents_url(zhang)}{consent.pk}/withdraw/").status_code == 403
    consent.refresh_from_db()
    assert consent.active and Consent.objects.count() == 1
