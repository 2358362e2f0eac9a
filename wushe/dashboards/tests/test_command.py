"""``wushe report monthly``: writes the workbook (and the PDF), as a user or as the system."""

from __future__ import annotations

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wushe.audit.models import AuditEntry
from wushe.dashboards.monthly import HEADER_ROW
from wushe.dashboards.tests import counting, sample
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return sample.build()


def test_it_writes_a_valid_workbook_and_pdf(world, nanshan_admin, tmp_path):
    out, pdf = tmp_path / "report.xlsx", tmp_path / "report.pdf"
    call_command(
        "report", "monthly", "--region", "440305", "--month", "2026-10",
        "--as", "nanshan_admin", "--out", str(out), "--pdf", str(pdf),
    )  # fmt: skip
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["指标", "服务统计", "覆盖"]
    total = list(book["服务统计"].iter_rows(min_row=HEADER_ROW + 1, values_only=True))[-1]
    nanshan = Region.objects.get(code=sample.NANSHAN)
    assert total[3] == counting.statistics(nanshan, sample.MONTH)["visits"]
    assert book["服务统计"]["B6"].value == "nanshan_admin"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_without_a_user_it_reads_as_the_system(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("report", "monthly", "--region", "4403", "--month", "2026-10")
    book = openpyxl.load_workbook(tmp_path / "monthly-report-4403-202610.xlsx")
    assert book["指标"]["B2"].value == "深圳市" and book["指标"]["B6"].value == "系统"
    entry = AuditEntry.objects.filter(object_type="dashboards.monthly_report").get()
    assert entry.actor is None and entry.actor_name == "system"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--region", "440305", "--month", "2026-13"], "YYYY-MM"),
        (["--region", "44030x", "--month", "2026-10"], "区划代码"),
        (["--region", "440399", "--month", "2026-10"], "440399"),
        (["--region", "440304", "--month", "2026-10", "--as", "nanshan_admin"], "440304"),
        (["--region", "440305", "--month", "2026-10", "--as", "nobody"], "nobody"),
    ],
)
def test_bad_arguments_are_clear_errors(world, nanshan_admin, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "monthly", *arguments, "--out", str(tmp_path / "x.xlsx"))
    assert not (tmp_path / "x.xlsx").exists()


def test_an_unwritable_file_is_a_clear_error(world, nanshan_admin, tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command(
            "report", "monthly", "--region", "440305", "--month", "2026-10",
            "--out", str(tmp_path / "no" / "such" / "dir.xlsx"),
        )  # fmt: skip
