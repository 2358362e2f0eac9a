"""Importing yearly figures: every bad row reported with its row, column and code in both
languages, nothing written unless all are good, a second import of the same file changes
nothing, and the same through the imports pages and the command."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from wushe.audit.models import AuditEntry
from wushe.imports.models import ImportJob
from wushe.indicators.importing import COLUMNS, import_entered_values, write_values_template
from wushe.indicators.models import EnteredTotal, EnteredValue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _imports_in_the_request(settings):
    settings.WUSHE_IMPORTS_IN_BACKGROUND = False  # the check and the import run at once


HEADERS = ["区划代码", "区划名称", "年份", "数据元", "数值", "来源说明"]
GOOD = [
    ["440305007", "粤海街道", "2025", "households", "1200", "街道统计"],
    ["440305005", "蛇口街道", "2025", "户数", "800.5", ""],  # by its Chinese name
    ["440305", "南山区", "2025", "Households", "5000", "区统计年鉴"],  # by its English name
]


def write_xlsx(path: Path, rows: list[list[object]], headers=HEADERS) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_csv(path: Path, rows: list[list[object]], headers=HEADERS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_a_good_sheet_is_written_with_its_totals_and_audited(tmp_path, nanshan_admin):
    result = import_entered_values(
        actor=nanshan_admin, source=write_xlsx(tmp_path / "f.xlsx", GOOD), file_name="f.xlsx"
    )
    assert result.ok and result.written and (result.created, result.updated) == (3, 0)
    stored = dict(EnteredValue.objects.values_list("region_id", "value"))
    assert stored == {
        "440305007000": Decimal("1200"),
        "440305005000": Decimal("800.5"),
        "440305000000": Decimal("5000"),
    }
    totals = dict(EnteredTotal.objects.filter(year=2025).values_list("region_code", "value"))
    assert totals["440305000000"] == 5000  # its own figure, not 2000.5
    assert totals["440300000000"] == 5000 and totals["000000000000"] == 5000
    entry = AuditEntry.objects.filter(object_type="indicators.enteredvalue").get()
    assert entry.changes["created"] == 3 and entry.actor == nanshan_admin


def test_importing_the_same_file_again_changes_nothing(tmp_path, nanshan_admin):
    path = write_csv(tmp_path / "f.csv", GOOD)
    import_entered_values(actor=nanshan_admin, source=path)
    again = import_entered_values(actor=nanshan_admin, source=path)
    assert (again.created, again.updated, again.unchanged, again.written) == (0, 0, 3, False)
    changed = [GOOD[0][:4] + ["1300", "更正"], *GOOD[1:]]
    third = import_entered_values(
        actor=nanshan_admin, source=write_csv(tmp_path / "g.csv", changed)
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert EnteredValue.objects.get(region_id="440305007000").value == 1300


BAD = [
    ["", "", "2025", "households", "1", ""],  # row 2: no region
    ["440399", "", "2025", "households", "1", ""],  # row 3: no such region
    ["440304", "福田区", "2025", "households", "1", ""],  # row 4: outside 南山
    ["440305007", "", "二〇二五", "households", "1", ""],  # row 5: bad year
    ["440305007", "", "2025", "no_such_thing", "1", ""],  # row 6: unknown element
    ["440305007", "", "2025", "visits", "1", ""],  # row 7: counted from the records
    ["440305007", "", "2025", "households", "很多", ""],  # row 8: not a number
    ["440305007", "", "2025", "elderly_60", "-3", ""],  # row 9: negative
    ["440305007", "", "2025", "care_home_beds", "1.234", ""],  # row 10: three decimals
    ["440305007", "", "2025", "urban_population", "", ""],  # row 11: no value
    ["440305007", "", "2025", "households", "10", ""],  # row 12: good
    ["440305007000", "", "2025", "户数", "11", ""],  # row 13: the same figure as row 12
    ["440305007", "", "2025", "households", "1", "来" * 201],  # row 14: note too long
]
EXPECTED = [
    (2, "区划代码", "region_missing"),
    (3, "区划代码", "region_unknown"),
    (4, "区划代码", "region_outside"),
    (5, "年份", "year_invalid"),
    (6, "数据元", "element_unknown"),
    (7, "数据元", "element_from_records"),
    (8, "数值", "value_not_number"),
    (9, "数值", "value_negative"),
    (10, "数值", "value_decimals"),
    (11, "数值", "value_missing"),
    (13, "区划代码", "duplicate_row"),
    (14, "来源说明", "note_too_long"),
]


def test_every_bad_row_is_reported_and_nothing_is_written(tmp_path, nanshan_admin):
    result = import_entered_values(actor=nanshan_admin, source=write_xlsx(tmp_path / "b.xlsx", BAD))
    found = [(error.row, error.column, error.code) for error in result.report.sorted()]
    assert found == EXPECTED
    assert all(error.message_zh and error.message_en for error in result.report)
    outside = next(e for e in result.report if e.code == "region_outside")
    assert "440304" in outside.message_zh and "南山区" in outside.message_zh
    assert duplicate_says_first(result.report) and not result.written
    assert EnteredValue.objects.count() == 0 and EnteredTotal.objects.count() == 0
    assert result.rejected == 12 and result.rows == 13


def duplicate_says_first(report) -> bool:
    error = next(e for e in report if e.code == "duplicate_row")
    return "12" in error.message_zh and "row 12" in error.message_en


def test_valid_only_writes_the_good_rows(tmp_path, nanshan_admin):
    result = import_entered_values(
        actor=nanshan_admin, source=write_xlsx(tmp_path / "b.xlsx", BAD), valid_only=True
    )
    assert result.written and result.created == 1
    assert EnteredValue.objects.get().value == 10


def test_a_file_without_the_columns_is_fatal(tmp_path, nanshan_admin):
    path = write_csv(tmp_path / "x.csv", [["a", "b"]], headers=["甲", "乙"])
    result = import_entered_values(actor=nanshan_admin, source=path)
    assert result.fatal and {e.code for e in result.report} == {"missing_column"}


def test_workers_and_auditors_cannot_import(tmp_path, shekou_worker, nanshan_auditor):
    from django.core.exceptions import PermissionDenied

    path = write_csv(tmp_path / "f.csv", GOOD)
    for user in (shekou_worker, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            import_entered_values(actor=user, source=path)


def test_the_template_reads_back_with_every_column(tmp_path):
    for name in ("t.xlsx", "t.csv"):
        write_values_template(tmp_path / name)
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert [cell.value for cell in sheet[1]] == [column.name for column in COLUMNS]


def test_the_command_imports_and_exits_1_on_bad_rows(tmp_path, nanshan_admin, capsys):
    good = write_csv(tmp_path / "f.csv", GOOD)
    call_command("indicators", "import", str(good), "--as", "nanshan_admin")
    assert "3 created" in capsys.readouterr().out
    bad = write_csv(tmp_path / "b.csv", BAD)
    with pytest.raises(CommandError) as error:
        call_command("indicators", "import", str(bad), "--as", "nanshan_admin")
    assert error.value.returncode == 1
    assert "row 3, 区划代码: region_unknown" in capsys.readouterr().err
    with pytest.raises(CommandError) as error:
        call_command("indicators", "import", str(good), "--as", "nobody")
    assert error.value.returncode == 2


def test_the_imports_pages_check_preview_and_confirm(client, tmp_path, nanshan_admin):
    client.force_login(nanshan_admin)
    upload = SimpleUploadedFile("figures.xlsx", write_xlsx(tmp_path / "f.xlsx", GOOD).read_bytes())
    response = client.post("/imports/new/", {"kind": "indicator_values", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.to_create, job.rejected) == ("checked", 3, 0)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "粤海街道 (440305007)" in page and "户数" in page
    assert client.post(f"/imports/{job.pk}/confirm/").status_code == 302
    job.refresh_from_db()
    assert job.status == "done" and EnteredValue.objects.count() == 3
    template = client.get("/imports/templates/indicator_values.xlsx")
    assert template.status_code == 200


def test_the_imports_page_lists_the_errors_of_a_bad_sheet(client, tmp_path, nanshan_admin):
    client.force_login(nanshan_admin)
    upload = SimpleUploadedFile("bad.xlsx", write_xlsx(tmp_path / "b.xlsx", BAD).read_bytes())
    client.post("/imports/new/", {"kind": "indicator_values", "file": upload})
    job = ImportJob.objects.get()
    assert job.rejected == 12
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "region_outside" in page or "不在您的管辖范围" in page
    assert client.post(f"/imports/{job.pk}/confirm/").status_code in (200, 400)
    assert EnteredValue.objects.count() == 0
