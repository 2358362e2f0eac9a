"""``wushe import residents …`` and ``wushe import template residents …``."""

import csv
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from conftest import YUEHAI
from wushe.audit.models import AuditEntry
from wushe.core.tabular import read_table
from wushe.people.importing import COLUMNS, IMPORT_TYPE
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import (
    SHEKOU_VILLAGE,
    good_rows,
    person,
    write_csv,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

BAD_ROW = person("坏行", "440305197001010001")  # a wrong check digit


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> tuple[int, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", *args, "--no-progress", stdout=StringIO(), stderr=err)
    return raised.value.returncode, str(raised.value) + err.getvalue()


def test_it_imports_a_good_sheet_and_exits_zero(yuehai_manager, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    out, err = run("residents", str(path), "--as", "yuehai_manager")
    assert "3 rows, 3 created, 0 updated, 0 unchanged, 0 with errors (written)" in out
    assert err == "" and Resident.objects.count() == 3


def test_a_bad_row_exits_one_names_it_and_writes_nothing(yuehai_manager, tmp_path):
    path = write_csv(tmp_path / "a.csv", [*good_rows(), BAD_ROW])
    status, text = fails("residents", str(path), "--as", "yuehai_manager")
    assert status == 1
    assert "row 5, 身份证号: id_check_digit" in text and "nothing written" in text
    assert not Resident.objects.exists()


def test_valid_only_writes_the_good_rows_and_still_exits_one(yuehai_manager, tmp_path):
    path = write_csv(tmp_path / "a.csv", [*good_rows(), BAD_ROW])
    status, text = fails("residents", str(path), "--as", "yuehai_manager", "--valid-only")
    assert status == 1 and "were skipped" in text
    assert Resident.objects.count() == 3


def test_a_dry_run_writes_nothing(yuehai_manager, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    out, _err = run("residents", str(path), "--as", "yuehai_manager", "--dry-run")
    assert "3 rows, 3 to create, 0 to update, 0 unchanged, 0 with errors" in out
    assert "(dry run, nothing written)" in out
    assert not Resident.objects.exists()


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_report_writes_every_error_with_row_column_and_code(yuehai_manager, tmp_path, extension):
    rows = [*good_rows(), BAD_ROW, person("", "440305197001010001")]
    path = write_xlsx(tmp_path / "a.xlsx", rows)
    report = tmp_path / f"errors.{extension}"
    fails("residents", str(path), "--as", "yuehai_manager", "--report", str(report))
    if extension == "csv":
        with report.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    else:
        lines = [list(r) for r in load_workbook(report).active.iter_rows(values_only=True)]
    assert lines[0] == ["行", "列", "代码", "说明", "Message"]
    assert [(str(r[0]), r[1], r[2]) for r in lines[1:]] == [
        ("5", "身份证号", "id_check_digit"),
        ("6", "姓名", "name_missing"),
        ("6", "身份证号", "id_check_digit"),
    ]


def test_an_auditor_cannot_import(nanshan_auditor, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    status, text = fails("residents", str(path), "--as", "nanshan_auditor")
    assert status == 2
    assert "居民档案" in text or "residents' files" in text
    assert not Resident.objects.exists()


def test_an_unknown_user_or_file_cannot_run(yuehai_manager, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    assert fails("residents", str(path), "--as", "nobody")[0] == 2
    assert fails("residents", str(tmp_path / "none.xlsx"), "--as", "yuehai_manager")[0] == 2
    assert fails("residents", str(path), "--as", "yuehai_manager", "--report", "e.txt")[0] == 2


def test_station_files_new_residents_under_it(yuehai_manager, yuehai_station, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    run("residents", str(path), "--as", "yuehai_manager", "--station", YUEHAI[:9])
    assert set(Resident.objects.values_list("station", flat=True)) == {yuehai_station.pk}
    entry = AuditEntry.objects.get(object_type=IMPORT_TYPE)
    assert entry.changes["station"] == f"{yuehai_station.name} ({yuehai_station.pk})"


def test_a_village_outside_the_station_is_refused(nanshan_admin, yuehai_station, tmp_path):
    path = write_xlsx(
        tmp_path / "a.xlsx",
        [person("张三", "11010519491231002X", **{"村(社区)代码": SHEKOU_VILLAGE})],
    )
    status, text = fails("residents", str(path), "--as", "nanshan_admin", "--station", YUEHAI)
    assert status == 1 and "village_outside_station" in text


def test_a_station_outside_the_region_cannot_be_chosen(futian_admin, yuehai_station, tmp_path):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    assert fails("residents", str(path), "--as", "futian_admin", "--station", YUEHAI)[0] == 2


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_template_reads_back_with_every_column(tmp_path, extension):
    out = tmp_path / f"template.{extension}"
    call_command("import", "template", "residents", str(out), stdout=StringIO())
    with read_table(out, columns=COLUMNS) as table:
        assert table.usable and table.absent_columns == [] and list(table) == []
    assert table.headers == [column.name for column in COLUMNS]


def test_the_templates_id_column_is_text(tmp_path):
    out = tmp_path / "template.xlsx"
    call_command("import", "template", "residents", str(out), stdout=StringIO())
    sheet = load_workbook(out).active
    assert sheet["C1"].value == "身份证号" and sheet.column_dimensions["C"].number_format == "@"
