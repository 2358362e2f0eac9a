"""Importing a sheet again: files already there are updated from it, and only what changed."""

import pytest

from conftest import YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.core.crypto import lookup_hash
from wushe.people.choices import Category
from wushe.people.importing import IMPORT_TYPE, import_residents, planning
from wushe.people.models import Resident
from wushe.people.services import name_keys, resident_file, resident_update
from wushe.people.tests.import_sheets import (
    LI_ID,
    WANG_ID,
    YUEHAI_VILLAGE_2,
    ZHANG_ID,
    ZHANG_PHONE,
    good_rows,
    person,
    write_xlsx,
)
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

NEW_PHONE = "13600001111"


def first_import(actor, tmp_path):
    result = import_residents(actor=actor, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    assert result.ok and result.created == 3
    return result


def state():
    return {
        r.id_number: (
            r.name,
            r.phone,
            r.region_id,
            r.address,
            r.notes,
            r.disability_grade,
            r.risk_level,
            r.guardian_name,
            r.guardian_phone,
            r.updated_at,
            sorted(r.categories.values_list("category", flat=True)),
        )
        for r in Resident.objects.all()
    }


def test_reimporting_the_same_sheet_changes_nothing(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    before, entries = state(), AuditEntry.objects.count()
    result = import_residents(
        actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", good_rows())
    )
    assert result.ok and result.written
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert state() == before
    # Only the import's own entry is new: no file was touched.
    assert AuditEntry.objects.count() == entries + 1
    assert AuditEntry.objects.order_by("-seq").first().object_type == IMPORT_TYPE


def test_a_changed_phone_is_updated(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    rows = good_rows()
    rows[0][3] = NEW_PHONE
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    zhang = Resident.objects.get(name="张三丰")
    assert zhang.phone == NEW_PHONE
    assert zhang.phone_hash == lookup_hash("phone", NEW_PHONE)
    entry = AuditEntry.objects.get(object_type="people.resident", action=Action.UPDATE)
    assert entry.changes == {"phone": ["138****5678", "136****1111"]}


def test_a_row_updates_name_village_address_notes_and_replaces_categories(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    rows = good_rows()
    rows[0] = person(
        "张三峰",
        ZHANG_ID,
        **{"村(社区)代码": YUEHAI_VILLAGE_2},
        住址="新地址",
        备注="已搬家",
        困难类别="特困",
    )
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert result.updated == 1
    zhang = Resident.objects.get(name="张三峰")
    assert (zhang.name_pinyin, zhang.name_initials) == name_keys("张三峰")
    assert (zhang.region_id, zhang.address, zhang.notes) == (YUEHAI_VILLAGE_2, "新地址", "已搬家")
    assert list(zhang.categories.values_list("category", "region_code")) == [
        (Category.EXTREME_POVERTY, YUEHAI_VILLAGE_2)
    ]


def test_blank_cells_keep_what_the_file_holds(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    before = state()
    blank = [person("张三丰", ZHANG_ID), person("李梅", LI_ID), person("王建国", WANG_ID)]
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", blank))
    assert result.ok and (result.updated, result.unchanged) == (0, 3)
    assert state() == before


def test_a_file_that_loses_disability_loses_its_grade(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    rows = [person("李梅", LI_ID, 困难类别="低边")]
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert result.ok and result.updated == 1
    li = Resident.objects.get(name="李梅")
    assert li.disability_grade is None
    assert list(li.categories.values_list("category", flat=True)) == [Category.NEAR_SUBSISTENCE]


def test_a_grade_without_disability_is_refused_on_update_too(yuehai_manager, tmp_path):
    first_import(yuehai_manager, tmp_path)
    rows = [person("张三丰", ZHANG_ID, 残疾等级="3")]
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert [(e.row, e.code) for e in result.report] == [(2, "disability_grade_unexpected")]


def test_a_file_filed_through_the_page_is_updated_by_the_import(yuehai_manager, tmp_path):
    resident_file(
        actor=yuehai_manager,
        name="王建国",
        id_number=WANG_ID,
        region=Region.objects.get(code=YUEHAI_VILLAGE),
        health_notes="",
        notes="页面录入",
    )
    result = import_residents(
        actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows())
    )
    assert (result.created, result.updated) == (2, 1)
    wang = Resident.objects.get(name="王建国")
    assert wang.notes == "页面录入"  # the sheet's 备注 was blank
    assert wang.phone  # the sheet's phone was added


def test_a_file_elsewhere_in_the_subtree_is_updated_by_a_wider_actor(
    yuehai_manager, nanshan_admin, tmp_path
):
    first_import(yuehai_manager, tmp_path)
    rows = good_rows()
    rows[2][3] = NEW_PHONE
    result = import_residents(actor=nanshan_admin, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert (result.updated, result.unchanged) == (1, 2)


def test_someone_filing_meanwhile_is_a_conflict_and_writes_nothing(
    yuehai_manager, tmp_path, monkeypatch
):
    first_import(yuehai_manager, tmp_path)
    # As if the files were not there yet when the sheet was checked.
    monkeypatch.setattr(planning, "find_existing", lambda hashes, can_see, **where: {})
    rows = good_rows() + [person("新人", "11010519491231002X")]
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert not result.written and [e.code for e in result.report] == ["import_conflict"]
    assert Resident.objects.count() == 3


def test_a_file_changed_on_a_page_during_the_import_refuses_the_import(
    yuehai_manager, tmp_path, monkeypatch
):
    first_import(yuehai_manager, tmp_path)
    read_files = planning.find_existing

    def read_then_edited_on_a_page(hashes, can_see, **where):
        found = read_files(hashes, can_see, **where)
        zhang = Resident.objects.get(name="张三丰")
        resident_update(actor=yuehai_manager, resident=zhang, notes="页面上刚改的")
        return found

    monkeypatch.setattr(planning, "find_existing", read_then_edited_on_a_page)
    rows = good_rows()
    rows[0][3] = NEW_PHONE
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert not result.written and [e.code for e in result.report] == ["import_conflict"]
    zhang = Resident.objects.get(name="张三丰")
    assert (zhang.notes, zhang.phone) == ("页面上刚改的", ZHANG_PHONE)
