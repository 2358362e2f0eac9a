"""The service-record certificate: what the 2020 measures require, with the ID number masked."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from conftest import make_site
from wushe.audit.models import AuditEntry
from wushe.people.identity import mask_id_number
from wushe.regions.choices import SiteKind
from wushe.volunteers.certificate_pdf import certificate_pdf
from wushe.volunteers.certificates import certificate_issue, certificate_lines
from wushe.volunteers.ledger_services import entry_correct, honour_hours, service_record
from wushe.volunteers.services import volunteer_invite
from wushe.volunteers.tests.sample import WANG_ID, register_wang


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def wang(yuehai_manager):
    wang = register_wang(yuehai_manager)
    for hours, day, what in (
        ("2", date(2026, 3, 1), "陪伴探访独居老人"),
        ("1.5", date(2026, 4, 2), "助餐送餐"),
    ):
        service_record(
            actor=yuehai_manager, volunteer=wang, hours=hours, occurred_on=day, content=what
        )
    return wang


def test_the_pdf_says_what_the_measures_require_with_the_number_masked(
    nanshan_admin, yuehai_manager, yuehai_station, wang
):
    honour_hours(
        actor=nanshan_admin, volunteer=wang, hours="4", occurred_on=date(2026, 5, 1), content="表彰"
    )
    wrong = service_record(
        actor=yuehai_manager,
        volunteer=wang,
        hours="9",
        occurred_on=date(2026, 5, 2),
        content="录错",
    )
    entry_correct(actor=yuehai_manager, entry=wrong, reason="重复录入")
    certificate = certificate_issue(actor=yuehai_manager, volunteer=wang)
    assert certificate.number.startswith("ZM") and len(certificate.number) == 12
    assert certificate.hours == 7.5 and certificate.issuer == "粤海街道社工站"
    text = text_of(certificate_pdf(certificate))
    assert "志愿服务记录证明" in text
    assert "王志强" in text and "居民身份证" in text
    assert mask_id_number(WANG_ID) in text and WANG_ID not in text
    assert wang.number in text and certificate.number in text
    assert "7.5" in text and "陪伴探访独居老人" in text and "助餐送餐" in text
    assert "荣誉时长" in text
    assert "录错" not in text  # a corrected entry is not a service
    assert "粤海街道社工站" in text
    assert f"{certificate.issued_on.year}年" in text


def test_a_certificate_prints_again_the_same_after_more_service(yuehai_manager, wang):
    certificate = certificate_issue(actor=yuehai_manager, volunteer=wang)
    before = certificate_lines(certificate)
    service_record(
        actor=yuehai_manager,
        volunteer=wang,
        hours="3",
        occurred_on=date(2026, 6, 1),
        content="维修",
    )
    assert certificate_lines(certificate) == before
    assert "维修" not in text_of(certificate_pdf(certificate))
    assert certificate_issue(actor=yuehai_manager, volunteer=wang).hours == 6.5


def test_issuing_is_audited_and_numbers_follow_each_other(yuehai_manager, wang):
    first = certificate_issue(actor=yuehai_manager, volunteer=wang)
    second = certificate_issue(actor=yuehai_manager, volunteer=wang)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1
    entries = AuditEntry.objects.filter(object_type="volunteers.certificate")
    assert entries.count() == 2
    assert WANG_ID not in str(list(entries.values_list("changes", flat=True)))


def test_the_issuer_is_the_nearest_site_or_one_the_staff_chooses(
    yuehai_manager, yuehai_room, futian_station, wang
):
    assert certificate_issue(actor=yuehai_manager, volunteer=wang).issuer == "科技园社区社工室"
    station = make_site("440305007000", SiteKind.STATION, "粤海街道社工站")
    assert certificate_issue(actor=yuehai_manager, volunteer=wang).issuer == station.name
    chosen = certificate_issue(actor=yuehai_manager, volunteer=wang, issuer_site=yuehai_room)
    assert chosen.issuer_site == yuehai_room
    with pytest.raises(ValidationError):
        certificate_issue(actor=yuehai_manager, volunteer=wang, issuer_site=futian_station)


def test_without_any_site_the_township_issues(yuehai_manager, wang):
    assert certificate_issue(actor=yuehai_manager, volunteer=wang).issuer == "粤海街道"


def test_only_staff_in_scope_or_the_volunteer_issue(
    yuehai_manager, nanshan_auditor, futian_admin, wang
):
    for outsider in (nanshan_auditor, futian_admin):
        with pytest.raises(PermissionDenied):
            certificate_issue(actor=outsider, volunteer=wang)
    user = volunteer_invite(
        actor=yuehai_manager, volunteer=wang, username="wangzq", password="a long pass phrase 9"
    )
    assert certificate_issue(actor=user, volunteer=wang).issued_by == user


def test_a_volunteer_without_service_gets_a_certificate_of_no_hours(yuehai_manager):
    chen = register_wang(yuehai_manager, name="空白")
    certificate = certificate_issue(actor=yuehai_manager, volunteer=chen)
    assert "暂无服务记录" in text_of(certificate_pdf(certificate))
