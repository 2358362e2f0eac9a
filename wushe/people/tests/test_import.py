"""The residents import: what it reports, what it writes, whom it lets, what it audits."""

import hashlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from openpyxl import Workbook

from conftest import FUTIAN_VILLAGE, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.people.choices import Category, RiskLevel
from wushe.people.identity import make_id_number
from wushe.people.importing import IMPORT_TYPE, import_residents, writing
from wushe.people.models import Resident
from wushe.people.selectors import resident_search
from wushe.people.services import name_keys, resident_file
from wushe.people.tests.import_sheets import (
    HEADERS,
    LI_ID,
    LI_PHONE,
    SHEKOU_VILLAGE,
    WANG_ID,
    ZHANG_ID,
    ZHANG_PHONE,
    good_rows,
    person,
    write_csv,
    write_xlsx,
)
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

FUTURE = date.today() + timedelta(days=400)


def new_id(sequence: int, born: date = date(1970, 1, 1)) -> str:
    return make_id_number("440305", born, sequence)


def bad_check_digit(number: str) -> str:
    wrong = next(d for d in "0123456789" if d != number[17])
    return number[:17] + wrong


def test_it_files_every_row_of_a_good_sheet(yuehai_manager, tmp_path):
    result = import_residents(
        actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows())
    )
    assert result.ok and result.written
    assert (result.rows, result.created, result.updated) == (3, 3, 0)
    zhang = Resident.objects.get(name="张三丰")
    assert zhang.id_number == ZHANG_ID and zhang.phone == ZHANG_PHONE
    assert (zhang.gender, zhang.birth_date) == ("male", date(1940, 5, 6))
    assert (zhang.name_pinyin, zhang.name_initials) == name_keys("张三丰")
    assert sorted(zhang.categories.values_list("category", flat=True)) == [
        Category.LIVING_ALONE,
        Category.SUBSISTENCE,
    ]
    li = Resident.objects.get(name="李梅")
    assert (li.gender, li.disability_grade, li.risk_level) == ("female", 2, RiskLevel.MEDIUM)
    assert (li.guardian_name, li.guardian_phone) == ("李强", "0755-26888888")
    assert set(li.categories.values_list("region_code", flat=True)) == {YUEHAI_VILLAGE}
    assert list(resident_search(user=yuehai_manager, query="zsf")) == [zhang]


def test_it_reads_a_gbk_csv_with_other_headers_in_another_order(yuehai_manager, tmp_path):
    headers = ["备注", "类别", "住址", "村(社区)编码", "手机", "身份证号码", "性别", " 姓名 "]
    row = [
        "",
        "特困",
        "蛇口",
        YUEHAI_VILLAGE,
        "138 1234 5678",
        ZHANG_ID[:6] + "400506013",
        "",
        "张三",
    ]
    path = write_csv(tmp_path / "gbk.csv", [row], headers=headers, encoding="gbk")
    result = import_residents(actor=yuehai_manager, source=path)
    assert result.ok, list(result.report)
    resident = Resident.objects.get()
    assert resident.id_number == ZHANG_ID  # the 15-digit number became the 18-digit one
    assert resident.phone == ZHANG_PHONE


BAD_ROWS = [
    # (row as Excel numbers it, column, code), then the row.
    (("身份证号", "id_check_digit"), person("甲", bad_check_digit(new_id(11)))),
    (("身份证号", "id_length"), person("乙", new_id(12)[:16])),
    (("身份证号", "id_date"), person("丙", "44030519700231" + "0123"[:3] + "0")),
    (("身份证号", "id_future"), person("丁", make_id_number("440305", FUTURE, 14))),
    (("姓名", "name_missing"), person("", new_id(15))),
    (("困难类别", "category_unknown"), person("戊", new_id(16), 困难类别="低保、富豪")),
    (
        ("村(社区)代码", "village_unknown"),
        person("己", new_id(17), **{"村(社区)代码": "440305999999"}),
    ),
    (
        ("村(社区)代码", "village_outside"),
        person("庚", new_id(18), **{"村(社区)代码": SHEKOU_VILLAGE}),
    ),
    (("村(社区)代码", "village_level"), person("辛", new_id(19), **{"村(社区)代码": YUEHAI})),
    (("身份证号", "id_duplicate_in_file"), person("壬", new_id(20))),
    (("联系电话", "phone_not_mainland"), person("癸", new_id(21), 联系电话="+852 9123 4567")),
    (("性别", "gender_mismatch"), person("子", new_id(23), 性别="女")),
    (("残疾等级", "disability_grade_missing"), person("丑", new_id(24), 困难类别="残疾人")),
    (("残疾等级", "disability_grade_invalid"), person("寅", new_id(25), 残疾等级="5")),
    (("残疾等级", "disability_grade_unexpected"), person("卯", new_id(26), 残疾等级="1")),
    (("身份证号", "filed_elsewhere"), person("辰", new_id(27))),
    (("风险等级", "risk_unknown"), person("巳", new_id(28), 风险等级="很高")),
    (("性别", "gender_unknown"), person("午", new_id(29), 性别="未知")),
    (("困难类别", "elderly_age"), person("未", new_id(30), 困难类别="高龄")),
    (("住址", "too_long"), person("申", new_id(31), 住址="深" * 201)),
    (("监护人电话", "phone_not_mainland"), person("酉", new_id(32), 监护人电话="12345")),
]


def one_of_each_bad_row(tmp_path, futian_admin):
    # 辰 is filed in 福田 already, by another station.
    resident_file(
        actor=futian_admin,
        name="辰",
        id_number=new_id(27),
        region=Region.objects.get(code=FUTIAN_VILLAGE),
    )
    good = person("好人", new_id(10), 联系电话="13800138000")
    rows = [good] + [row for _expected, row in BAD_ROWS]
    rows[10][2] = good[2]  # 壬 repeats the good row's ID number (row 2)
    return write_xlsx(tmp_path / "bad.xlsx", rows)


def test_it_reports_one_of_each_bad_row_kind_by_row_column_and_code(
    yuehai_manager, futian_admin, tmp_path
):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    result = import_residents(actor=yuehai_manager, source=path)
    found = {(error.row, error.column, error.code) for error in result.report}
    expected = {(row, *place) for row, (place, _r) in enumerate(BAD_ROWS, start=3)}
    assert found == expected
    assert (result.rows, result.rejected, result.written) == (22, 21, False)
    for error in result.report:
        assert error.message_zh and error.message_en and error.message_zh != error.message_en
    duplicate = next(e for e in result.report if e.code == "id_duplicate_in_file")
    assert "第 2 行" in duplicate.message_zh and "row 2" in duplicate.message_en


def test_filed_elsewhere_says_nothing_of_the_other_file(yuehai_manager, futian_admin, tmp_path):
    result = import_residents(
        actor=yuehai_manager, source=one_of_each_bad_row(tmp_path, futian_admin)
    )
    error = next(e for e in result.report if e.code == "filed_elsewhere")
    for secret in ("辰", FUTIAN_VILLAGE, "福田", "园岭"):
        assert secret not in error.message_zh + error.message_en


def test_nothing_is_written_when_one_row_is_bad(yuehai_manager, futian_admin, tmp_path):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    before = Resident.objects.count()
    result = import_residents(actor=yuehai_manager, source=path)
    assert not result.written and result.created == 0
    assert Resident.objects.count() == before


def test_valid_only_writes_the_good_rows_in_one_go(yuehai_manager, futian_admin, tmp_path):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    result = import_residents(actor=yuehai_manager, source=path, valid_only=True)
    assert result.written and not result.ok and result.created == 1
    filed = Resident.objects.visible_to(yuehai_manager)
    assert list(filed.values_list("name", flat=True)) == ["好人"]
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["created"] == 1 and entry.changes["rejected"] == 21


def test_a_failure_while_writing_leaves_nothing_behind(yuehai_manager, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(writing, "copy_categories", broken)
    monkeypatch.setattr(writing._Generic, "_categories", broken)
    with pytest.raises(RuntimeError):
        import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    assert not Resident.objects.exists()
    assert not AuditEntry.objects.filter(object_type__startswith="people.").exists()


def test_a_dry_run_writes_nothing_but_is_audited(yuehai_manager, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    result = import_residents(actor=yuehai_manager, source=path, dry_run=True)
    assert result.ok and not result.written and result.rows == 3
    assert (result.to_create, result.created) == (3, 0)
    assert not Resident.objects.exists()
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["mode"] == "dry_run" and entry.changes["written"] is False


def test_a_file_level_problem_is_fatal_even_for_valid_rows_only(yuehai_manager, tmp_path):
    headers = [h for h in HEADERS if h != "村(社区)代码"]
    rows = [
        [cell for h, cell in zip(HEADERS, row, strict=True) if h != "村(社区)代码"]
        for row in good_rows()
    ]
    path = write_xlsx(tmp_path / "a.xlsx", rows, headers=headers)
    result = import_residents(actor=yuehai_manager, source=path, valid_only=True)
    assert result.fatal and not result.written
    assert [(e.row, e.column, e.code) for e in result.report] == [
        (1, "村(社区)代码", "missing_column")
    ]
    assert not Resident.objects.exists()


def test_an_id_number_stored_as_a_number_is_refused(yuehai_manager, tmp_path):
    workbook = Workbook()
    workbook.active.append(HEADERS)
    row = person("张三", "")
    row[2] = 440305194005060137  # Excel keeps 15 digits of it
    workbook.active.append(row)
    workbook.save(tmp_path / "n.xlsx")
    result = import_residents(actor=yuehai_manager, source=tmp_path / "n.xlsx")
    assert [(e.row, e.column, e.code) for e in result.report] == [(2, "身份证号", "not_text")]


def test_a_nul_character_is_refused_not_sent_to_the_database(yuehai_manager, tmp_path):
    path = write_csv(tmp_path / "nul.csv", [person("张\x00三", new_id(40))])
    result = import_residents(actor=yuehai_manager, source=path)
    assert [(e.row, e.code) for e in result.report] == [(2, "bad_character")]


def test_text_with_tabs_and_newlines_is_stored_as_written(yuehai_manager, tmp_path):
    note = 'line one\nline\ttwo \\ "quoted"'
    path = write_csv(tmp_path / "t.csv", [person("张三", new_id(41), 备注=note)])
    assert import_residents(actor=yuehai_manager, source=path).ok
    assert Resident.objects.get().notes == note


def test_a_futian_admin_importing_nanshan_villages_gets_village_outside(futian_admin, tmp_path):
    result = import_residents(
        actor=futian_admin, source=write_xlsx(tmp_path / "a.xlsx", good_rows())
    )
    assert {(e.code, e.column) for e in result.report} == {("village_outside", "村(社区)代码")}
    assert result.rejected == 3 and not Resident.objects.exists()


def test_an_auditor_cannot_import(nanshan_auditor, tmp_path):
    with pytest.raises(PermissionDenied):
        import_residents(actor=nanshan_auditor, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    assert not Resident.objects.exists()
    denied = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert denied.actor == nanshan_auditor and denied.success is False


def test_the_database_holds_no_plaintext_id_number_or_phone(yuehai_manager, tmp_path):
    import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump.append(repr(cursor.fetchall()))
    text = "".join(dump)
    for secret in (ZHANG_ID, LI_ID, WANG_ID, ZHANG_PHONE, LI_PHONE, "26888888", ZHANG_ID[6:14]):
        assert secret not in text
    assert "张三丰" in text  # names are not encrypted; the dump did read the rows


def test_the_audit_entry_names_the_actor_and_the_file(yuehai_manager, tmp_path):
    path = write_xlsx(tmp_path / "居民名单.xlsx", good_rows())
    result = import_residents(actor=yuehai_manager, source=path)
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry == result.audit_entry
    assert (entry.actor, entry.actor_name, entry.action) == (
        yuehai_manager,
        "yuehai_manager",
        Action.CREATE,
    )
    assert entry.object_repr == "居民名单.xlsx" and entry.changes["file"] == "居民名单.xlsx"
    assert entry.object_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (entry.changes["rows"], entry.changes["created"], entry.changes["written"]) == (
        3,
        3,
        True,
    )
    assert entry.region_code == YUEHAI


def test_a_small_import_audits_each_file_as_filing_would(yuehai_manager, tmp_path):
    import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    entries = AuditEntry.objects.filter(object_type="people.resident", action=Action.CREATE)
    assert entries.count() == 3
    zhang = entries.get(object_repr="张三丰")
    assert zhang.changes["id_number"] == [None, ZHANG_ID[:6] + "********" + ZHANG_ID[-4:]]
    assert zhang.changes["phone"] == [None, "138****5678"]
    assert zhang.changes["categories"] == [None, "alone,dibao"]


def test_a_large_import_is_audited_by_its_own_entry_only(yuehai_manager, tmp_path, monkeypatch):
    from wushe.people.importing import service

    monkeypatch.setattr(service, "AUDIT_DETAIL_LIMIT", 2)
    import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows()))
    assert not AuditEntry.objects.filter(object_type="people.resident").exists()
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["residents"] == "this entry only"
    filed_at = entry.changes["filed_at"]
    stamped = Resident.objects.filter(created_at=filed_at)
    assert stamped.count() == 3  # the entry's time finds every file it created


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and index rebuilds")
def test_a_bulk_load_rebuilds_every_index_and_constraint_as_it_was(
    yuehai_manager, tmp_path, monkeypatch
):
    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
                [writing.RESIDENTS, writing.CATEGORIES],
            )
            indexes = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid IN (%s::regclass, %s::regclass)",
                [writing.RESIDENTS, writing.CATEGORIES],
            )
            constraints = sorted(cursor.fetchall())
            cursor.execute(
                "SELECT column_name, column_default FROM information_schema.columns "
                "WHERE table_name = %s",
                [writing.RESIDENTS],
            )
            return indexes, constraints, sorted(cursor.fetchall())

    before = schema()
    monkeypatch.setattr(writing, "BULK_ROWS", 2)
    stages = []
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    result = import_residents(
        actor=yuehai_manager, source=path, progress=lambda stage, done, total: stages.append(stage)
    )
    assert result.ok and result.created == 3 and "index" in stages
    assert schema() == before
    assert sorted(Resident.objects.values_list("pk", flat=True)) == sorted(result.created_ids)
    assert Resident.objects.get(name="李梅").categories.count() == 2
    # Stamped by the columns' defaults for the COPY: the import's own time, as the audit says.
    filed_at = AuditEntry.objects.get(object_type=IMPORT_TYPE).changes["filed_at"]
    assert Resident.objects.filter(created_at=filed_at, updated_at=filed_at).count() == 3
    # The unique rule is back: the same person cannot be filed twice.
    monkeypatch.setattr("wushe.people.importing.planning.find_existing", lambda h, s, **w: {})
    again = import_residents(actor=yuehai_manager, source=path)
    assert [e.code for e in again.report] == ["import_conflict"]


def test_it_reads_an_uploaded_file_as_a_page_would_pass_it(yuehai_manager, tmp_path):
    content = write_xlsx(tmp_path / "a.xlsx", good_rows()).read_bytes()
    upload = SimpleUploadedFile("居民.xlsx", content)
    result = import_residents(actor=yuehai_manager, source=upload)
    assert result.ok and result.created == 3 and result.file_name == "居民.xlsx"
    assert result.sha256 == hashlib.sha256(content).hexdigest()


def test_text_with_copy_s_special_characters_is_stored_as_written(yuehai_manager, tmp_path):
    # Tabs, line breaks and backslashes inside cells: COPY's text format must see them escaped.
    address = "科技园\t1 栋\\2 号"
    notes = "第一行\n第二行\r\n\\N 不是空值"
    rows = [person("张\\三", new_id(40), 住址=address, 备注=notes), person("李四", new_id(41))]
    result = import_residents(actor=yuehai_manager, source=write_csv(tmp_path / "t.csv", rows))

    assert result.ok and result.created == 2
    stored = Resident.objects.get(name="张\\三")
    assert (stored.address, stored.notes) == (address, notes)
    assert Resident.objects.get(name="李四").notes == ""
