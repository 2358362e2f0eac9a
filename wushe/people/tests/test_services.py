from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from conftest import FUTIAN_VILLAGE, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.people.choices import Category, ConsentGiver, ConsentMethod
from wushe.people.identity import make_id_number
from wushe.people.models import Resident
from wushe.people.selectors import resident_search
from wushe.people.services import (
    consent_record,
    consent_withdraw,
    resident_file,
    resident_open,
    resident_unmask,
    resident_update,
)
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

ZHANG = make_id_number("440305", date(1940, 5, 6), "013")  # odd sequence digit: male
CHILD = make_id_number("440305", date(2016, 3, 1), "022")
PHONE = "13812345678"


def village(code=YUEHAI_VILLAGE):
    return Region.objects.get(code=code)


def file_zhang(actor, **extra):
    fields = {
        "name": "张三丰",
        "id_number": ZHANG,
        "phone": PHONE,
        "region": village(),
        "categories": [Category.SUBSISTENCE, Category.LIVING_ALONE],
    }
    fields.update(extra)
    return resident_file(actor=actor, **fields)


def test_filing_derives_birth_date_and_gender_from_the_id(yuehai_manager):
    resident = file_zhang(yuehai_manager)
    assert resident.birth_date == date(1940, 5, 6)
    assert resident.gender == "male"
    assert resident.is_elderly(date(2026, 1, 1))
    assert sorted(resident.categories.values_list("category", flat=True)) == [
        Category.LIVING_ALONE,
        Category.SUBSISTENCE,
    ]


def test_the_database_holds_no_plaintext_id_number_or_phone(yuehai_manager):
    file_zhang(yuehai_manager, health_notes="", notes="普通备注")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_resident")
        dump = repr(cursor.fetchall())
    assert ZHANG not in dump and ZHANG[6:14] not in dump
    assert PHONE not in dump
    assert "张三丰" in dump  # the name itself is not encrypted
    assert Resident.objects.get().id_number == ZHANG  # and the model reads it back


def test_the_audit_entry_holds_only_masked_numbers(yuehai_manager):
    file_zhang(yuehai_manager)
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="people.resident")
    text = repr(entry.changes) + entry.object_repr
    assert ZHANG not in text and PHONE not in text
    assert entry.changes["id_number"][1] == ZHANG[:6] + "********" + ZHANG[-4:]
    assert entry.changes["phone"][1] == "138****5678"


def test_a_second_file_for_the_same_person_here_is_refused(yuehai_manager):
    file_zhang(yuehai_manager)
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, name="张三")
    assert error.value.error_dict["id_number"][0].code == "already_filed"


def test_a_person_filed_by_another_station_is_not_shown(yuehai_manager, futian_admin):
    file_zhang(yuehai_manager)
    with pytest.raises(ValidationError) as error:
        file_zhang(futian_admin, region=village(FUTIAN_VILLAGE), name="某某")
    assert error.value.error_dict["id_number"][0].code == "filed_elsewhere"
    message = " ".join(error.value.messages)
    assert "张三丰" not in message and "粤海" not in message


def test_a_home_outside_the_subtree_or_not_a_village_is_refused(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, region=village(FUTIAN_VILLAGE))
    assert "region" in error.value.message_dict
    with pytest.raises(ValidationError):
        file_zhang(yuehai_manager, region=Region.objects.get(code=YUEHAI))
    assert not Resident.objects.exists()


def test_a_wrong_village_and_bad_fields_are_reported_together(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        file_zhang(
            yuehai_manager,
            region=village(FUTIAN_VILLAGE),
            id_number=ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"),
            phone="12345",
        )
    assert {"region", "id_number", "phone"} <= set(error.value.message_dict)
    assert not Resident.objects.exists()


def test_a_bad_id_number_is_a_field_error(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, id_number=ZHANG[:-1] + ("0" if ZHANG[-1] != "0" else "1"))
    assert "id_number" in error.value.message_dict


def test_an_auditor_cannot_file(nanshan_auditor):
    with pytest.raises(PermissionDenied):
        file_zhang(nanshan_auditor)


def test_health_notes_need_a_recorded_consent(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, health_notes="高血压")
    assert "health_notes" in error.value.message_dict
    resident = file_zhang(
        yuehai_manager,
        health_notes="高血压",
        consent={
            "given_by": ConsentGiver.SELF,
            "giver_name": "张三丰",
            "method": ConsentMethod.WRITTEN,
            "text_version": "2026-1",
            "given_on": date(2026, 11, 1),
        },
    )
    assert resident.consents.get().active


def test_a_childs_consent_is_the_guardians(yuehai_manager):
    consent = {
        "given_by": ConsentGiver.SELF,
        "giver_name": "小明",
        "method": ConsentMethod.WRITTEN,
        "text_version": "2026-1",
        "given_on": date(2026, 11, 1),
    }
    with pytest.raises(ValidationError) as error:
        file_zhang(
            yuehai_manager,
            id_number=CHILD,
            name="小明",
            health_notes="哮喘",
            categories=[Category.LEFT_BEHIND_CHILD],
            consent=consent,
        )
    assert "given_by" in error.value.message_dict
    consent.update(given_by=ConsentGiver.GUARDIAN, giver_name="小明妈妈")
    file_zhang(
        yuehai_manager,
        id_number=CHILD,
        name="小明",
        health_notes="哮喘",
        categories=[Category.LEFT_BEHIND_CHILD],
        consent=consent,
    )


def test_withdrawn_consent_blocks_further_health_notes(yuehai_manager):
    resident = file_zhang(yuehai_manager)
    consent = consent_record(
        actor=yuehai_manager,
        resident=resident,
        given_by=ConsentGiver.SELF,
        giver_name="张三丰",
        method=ConsentMethod.ORAL,
        text_version="2026-1",
        given_on=date(2026, 11, 2),
    )
    resident_update(actor=yuehai_manager, resident=resident, health_notes="糖尿病")
    consent_withdraw(actor=yuehai_manager, consent=consent)
    with pytest.raises(ValidationError):
        resident_update(actor=yuehai_manager, resident=resident, health_notes="糖尿病，已控制")
    resident.refresh_from_db()
    assert resident.health_notes == "糖尿病"


def test_disability_grade_goes_with_the_category(yuehai_manager):
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, categories=[Category.DISABLED])
    assert "disability_grade" in error.value.message_dict
    resident = file_zhang(yuehai_manager, categories=[Category.DISABLED], disability_grade=2)
    assert resident.disability_grade == 2


def test_opening_and_unmasking_are_views_in_the_audit_log(yuehai_manager, nanshan_auditor):
    resident = file_zhang(yuehai_manager)
    resident_open(actor=nanshan_auditor, resident=resident)
    assert resident_unmask(actor=yuehai_manager, resident=resident, field="id_number") == ZHANG
    with pytest.raises(PermissionDenied):
        resident_unmask(actor=nanshan_auditor, resident=resident, field="phone")
    views = AuditEntry.objects.filter(action=Action.VIEW, object_type="people.resident")
    assert views.count() == 2
    assert all(ZHANG not in repr(v.changes) for v in views)


def test_search_by_pinyin_initials_name_and_id_inside_the_subtree(
    yuehai_manager, futian_admin, shekou_worker
):
    resident = file_zhang(yuehai_manager)
    for query in ("zhangsanfeng", "zsf", "ZhangS", "三丰", ZHANG, ZHANG.lower()):
        assert list(resident_search(user=yuehai_manager, query=query)) == [resident], query
    for user in (futian_admin, shekou_worker):
        assert not resident_search(user=user, query="zsf").exists()
        assert not resident_search(user=user, query=ZHANG).exists()


def test_an_update_moves_categories_with_the_resident(nanshan_admin):
    resident = file_zhang(nanshan_admin)
    other = Region.objects.get(code="440305005001")
    resident_update(
        actor=nanshan_admin, resident=resident, region=other, categories=[Category.SUBSISTENCE]
    )
    assert set(resident.categories.values_list("region_code", flat=True)) == {other.code}
    entry = AuditEntry.objects.get(action=Action.UPDATE, object_type="people.resident")
    assert entry.changes["categories"] == ["alone,dibao", "dibao"]


def test_a_filing_that_loses_a_race_gets_the_field_error(yuehai_manager, monkeypatch):
    file_zhang(yuehai_manager)
    # The check before saving saw nothing (as when another station saves in between).
    monkeypatch.setattr("wushe.people.services._check_not_filed", _first_call_passes())
    with pytest.raises(ValidationError) as error:
        file_zhang(yuehai_manager, name="张三")
    assert error.value.error_dict["id_number"][0].code == "already_filed"
    assert Resident.objects.count() == 1


def _first_call_passes():
    from wushe.people import services

    real = services._check_not_filed
    calls = []

    def check(actor, resident):
        calls.append(1)
        if len(calls) > 1:
            real(actor, resident)

    return check
