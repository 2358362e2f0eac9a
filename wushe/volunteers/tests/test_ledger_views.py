"""The ledger's pages: service hours, honour hours, redemptions, corrections, certificates."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from wushe.audit.models import AuditEntry
from wushe.people.identity import mask_id_number
from wushe.volunteers import selectors
from wushe.volunteers.choices import EntryKind
from wushe.volunteers.ledger_services import service_record
from wushe.volunteers.models import Certificate, LedgerEntry
from wushe.volunteers.tests.sample import CHEN_ID, WANG_ID, register_wang

pytestmark = pytest.mark.django_db


@pytest.fixture
def wang(yuehai_manager):
    return register_wang(yuehai_manager)


def test_recording_service_hours_adds_hours_and_points(client, yuehai_manager, wang):
    client.force_login(yuehai_manager)
    assert client.get(f"/volunteers/{wang.pk}/service/").status_code == 200
    data = {"occurred_on": "2026-03-01", "hours": "2.5", "tier": "skilled", "content": "助医陪诊"}
    page = client.post(f"/volunteers/{wang.pk}/service/", data)
    assert page.status_code == 302
    assert selectors.balance(wang) == (2.5, 38)
    detail = client.get(f"/volunteers/{wang.pk}/").content.decode()
    assert "助医陪诊" in detail and "38" in detail


def test_bad_service_input_is_shown_beside_the_fields(client, yuehai_manager, wang):
    client.force_login(yuehai_manager)
    for data in (
        {"occurred_on": "2026-03-01", "hours": "30", "tier": "basic", "content": "x"},
        {"occurred_on": "2999-01-01", "hours": "1", "tier": "basic", "content": "x"},
        {"occurred_on": "bad", "hours": "1", "tier": "basic", "content": "x"},
        {"occurred_on": "2026-03-01", "hours": "1", "tier": "basic", "content": ""},
        {"occurred_on": "2026-03-01", "hours": "1", "tier": "basic", "activity": "9" * 25},
    ):
        page = client.post(f"/volunteers/{wang.pk}/service/", data)
        assert page.status_code == 400, data
        assert "errorlist" in page.content.decode()
    assert not LedgerEntry.objects.exists()


def test_a_redemption_above_the_balance_shows_the_balance(client, yuehai_manager, wang):
    service_record(
        actor=yuehai_manager, volunteer=wang, hours="1", occurred_on=date(2026, 3, 1), content="x"
    )
    client.force_login(yuehai_manager)
    page = client.post(f"/volunteers/{wang.pk}/redeem/", {"points": "11", "content": "大米"})
    assert page.status_code == 400
    assert "10" in page.content.decode()
    assert (
        client.post(
            f"/volunteers/{wang.pk}/redeem/", {"points": "10", "content": "大米"}
        ).status_code
        == 302
    )
    assert selectors.balance(wang)[1] == 0


def test_honour_hours_are_for_administrators(client, nanshan_admin, yuehai_manager, wang):
    data = {"occurred_on": "2026-03-01", "hours": "5", "content": "表彰"}
    client.force_login(yuehai_manager)
    assert client.post(f"/volunteers/{wang.pk}/honour/", data).status_code == 403
    client.force_login(nanshan_admin)
    assert client.post(f"/volunteers/{wang.pk}/honour/", data).status_code == 302
    assert LedgerEntry.objects.get().kind == EntryKind.HONOUR


def test_a_correction_is_a_new_entry_and_only_once(
    client, yuehai_manager, shekou_worker, nanshan_admin, wang
):
    entry = service_record(
        actor=yuehai_manager, volunteer=wang, hours="1", occurred_on=date(2026, 3, 1), content="x"
    )
    url = f"/volunteers/{wang.pk}/entries/{entry.pk}/correct/"
    client.force_login(shekou_worker)
    assert client.get(url).status_code == 404  # 蛇口 does not see 粤海's volunteer
    client.force_login(yuehai_manager)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "录错"}).status_code == 302
    again = client.post(url, {"reason": "again"})
    assert again.status_code == 400 and "errorlist" in again.content.decode()
    assert LedgerEntry.objects.count() == 2
    other = register_wang(nanshan_admin, id_number=CHEN_ID, name="别人")
    assert client.get(f"/volunteers/{other.pk}/entries/{entry.pk}/correct/").status_code == 404


def test_a_certificate_is_issued_as_a_pdf_and_printed_again(client, yuehai_manager, wang):
    service_record(
        actor=yuehai_manager,
        volunteer=wang,
        hours="2",
        occurred_on=date(2026, 3, 1),
        content="探访",
    )
    client.force_login(yuehai_manager)
    assert client.get(f"/volunteers/{wang.pk}/certificates/new/").status_code == 405
    response = client.post(f"/volunteers/{wang.pk}/certificates/new/", {"issuer_site": ""})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert mask_id_number(WANG_ID) in text and WANG_ID not in text
    certificate = Certificate.objects.get()
    again = client.get(f"/volunteers/{wang.pk}/certificates/{certificate.pk}.pdf")
    assert again.status_code == 200 and again.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(object_type="volunteers.certificate").count() == 2
    bad = client.post(f"/volunteers/{wang.pk}/certificates/new/", {"issuer_site": "abc"})
    assert bad.status_code == 302 and Certificate.objects.count() == 1
