"""Service-record certificates (志愿服务记录证明) through the API, as on the pages: staff issue
one (naming an issuing site of theirs, or the volunteer's own station) and download its PDF;
the volunteer issues and downloads their own, and reads their whole ledger; anyone else gets
404. Every issue and print is audited."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from conftest import make_site
from wushe.audit.models import AuditEntry
from wushe.core.tests.api_client import token_client
from wushe.people.identity import mask_id_number
from wushe.regions.choices import SiteKind
from wushe.volunteers.ledger_services import service_record
from wushe.volunteers.models import Certificate
from wushe.volunteers.tests.sample import (
    CHEN_ID,
    WANG_ID,
    served_and_invited,
)

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def pair(nanshan_admin):
    return served_and_invited(nanshan_admin)


def test_staff_issue_a_certificate_and_download_its_pdf(
    yuehai_manager, yuehai_station, futian_station, pair
):
    wang, _chen = pair
    api = token_client(yuehai_manager)
    base = f"/api/volunteers/{wang.pk}/certificates/"
    elsewhere = api.post(base, {"issuer_site": futian_station.pk}, format="json")
    assert elsewhere.status_code == 400 and "issuer_site" in elsewhere.json()
    assert not Certificate.objects.exists()
    issued = api.post(base, {"issuer_site": yuehai_station.pk}, format="json")
    assert issued.status_code == 201, issued.json()
    body = issued.json()
    assert body["issuer"] == yuehai_station.name and body["hours"] == "2.00"
    pdf = api.get(f"{base}{body['id']}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Cache-Control"].startswith("max-age=0") or "no-store" in pdf["Cache-Control"]
    text = text_of(pdf.content)
    assert body["number"] in text and wang.number in text
    assert mask_id_number(WANG_ID) in text and WANG_ID not in text
    assert api.get(f"{base}99999/pdf/").status_code == 404
    assert api.get(f"{base}x/pdf/").status_code == 404
    actions = AuditEntry.objects.filter(object_type="volunteers.certificate", success=True)
    assert sorted(actions.values_list("action", flat=True)) == ["create", "export"]


def test_auditors_read_but_do_not_issue_and_outsiders_get_404(
    nanshan_auditor, futian_admin, nanshan_admin, pair
):
    wang, _chen = pair
    make_site("440305007000", SiteKind.STATION, "粤海街道社工站")
    token_client(nanshan_admin).post(f"/api/volunteers/{wang.pk}/certificates/")
    certificate = Certificate.objects.get()
    auditor = token_client(nanshan_auditor)
    base = f"/api/volunteers/{wang.pk}/certificates/"
    assert auditor.get(base).json()[0]["number"] == certificate.number
    assert auditor.post(base).status_code == 403
    assert auditor.get(f"{base}{certificate.pk}/pdf/").status_code == 200
    outsider = token_client(futian_admin)
    assert outsider.get(f"{base}{certificate.pk}/pdf/").status_code == 404
    assert outsider.post(base).status_code == 404
    assert Certificate.objects.count() == 1


def test_a_volunteer_issues_and_downloads_their_own_certificate_only(pair, nanshan_admin):
    wang, chen = pair
    own = token_client(chen.user)
    issued = own.post("/api/volunteer/certificates/")
    assert issued.status_code == 201
    number = issued.json()["number"]
    mine = own.get("/api/volunteer/certificates/").json()
    assert [row["number"] for row in mine] == [number]
    certificate = Certificate.objects.get(number=number)
    pdf = own.get(f"/api/volunteer/certificates/{certificate.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert mask_id_number(CHEN_ID) in text and CHEN_ID not in text
    other = token_client(wang.user)
    assert other.get(f"/api/volunteer/certificates/{certificate.pk}/pdf/").status_code == 404
    assert other.get("/api/volunteer/certificates/").json() == []
    staff = token_client(nanshan_admin)
    assert staff.get("/api/volunteer/certificates/").status_code == 404
    assert staff.post("/api/volunteer/certificates/").status_code == 404
    assert staff.get(f"/api/volunteer/certificates/{certificate.pk}/pdf/").status_code == 404
    assert Certificate.objects.count() == 1


def test_a_volunteer_reads_their_whole_ledger_without_staff_notes(pair, nanshan_admin):
    wang, chen = pair
    service_record(
        actor=nanshan_admin,
        volunteer=wang,
        hours="1",
        occurred_on=date(2026, 3, 2),
        content="第二次探访",
        note="内部备注",
    )
    rows = token_client(wang.user).get("/api/volunteer/ledger/").json()
    assert rows["count"] == 2
    assert [row["content"] for row in rows["results"]] == ["第二次探访", "王的探访"]
    assert "内部备注" not in str(rows) and "陈的送餐" not in str(rows)
    assert token_client(nanshan_admin).get("/api/volunteer/ledger/").status_code == 404
