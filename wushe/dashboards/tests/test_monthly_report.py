"""The monthly report (月报), opened with openpyxl and checked cell by cell against the records
(counted with the models in ``counting``), and the same report as PDF."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pypdf
import pytest

from conftest import FUTIAN, YUEHAI
from wushe.audit.models import Action, AuditEntry
from wushe.dashboards.monthly import HEADER_ROW, monthly_report, monthly_report_pdf
from wushe.dashboards.tests import counting, sample
from wushe.dashboards.tests.counting import last_day
from wushe.indicators.models import EnteredValue, Indicator, Target
from wushe.regions.choices import SiteKind
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db

STATISTICS = [
    "persons",
    "visits",
    "cases_served",
    "cases_opened",
    "cases_closed",
    "cases_open",
    "groups",
    "group_sessions",
    "activities",
    "person_times",
]
COVERAGE = ["townships", "stations", "station_rate", "villages", "rooms", "room_rate"]


@pytest.fixture
def world(db):
    return sample.build()


@pytest.fixture
def nanshan():
    return Region.objects.get(code=sample.NANSHAN)


def workbook(user, region) -> openpyxl.Workbook:
    content = monthly_report(user=user, region=region, month=sample.MONTH)
    return openpyxl.load_workbook(io.BytesIO(content))


def body(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True))


def test_it_lays_out_three_sheets_under_the_same_header_rows(world, nanshan_admin, nanshan):
    book = workbook(nanshan_admin, nanshan)
    assert book.sheetnames == ["指标", "服务统计", "覆盖"]
    for sheet in book:
        assert "南山区" in sheet["A1"].value and "2026-10" in sheet["A1"].value
        assert [sheet["A2"].value, sheet["B2"].value, sheet["C2"].value] == [
            "区划",
            "南山区",
            "440305",
        ]
        assert [sheet["A3"].value, sheet["B3"].value] == ["月份", "2026-10"]
        assert sheet["A5"].value == "生成时间" and sheet["B5"].value.startswith("20")
        assert [sheet["A6"].value, sheet["B6"].value] == ["生成人", "nanshan_admin"]
        assert sheet.cell(row=HEADER_ROW - 1, column=1).value is None
        assert sheet.cell(row=HEADER_ROW, column=1).value in ("指标", "区划")
    assert book["指标"]["B4"].value == "2026-01 至 2026-10（年初至今）"


def _element(code: str, region: Region, year: int) -> Decimal | None:
    """An entered element of 南山区 (the sample enters it there and nowhere below)."""
    found = EnteredValue.objects.filter(region=region, element_id=code, year=year).first()
    return found.value if found else None


def _expected_indicator(indicator: Indicator, region: Region) -> tuple:
    """(numerator, denominator) counted from the records and the entered figures."""
    end = last_day(sample.MONTH)
    counted = {
        "stations_operating": counting.sites_in(region, SiteKind.STATION, opened_by=end),
        "townships": counting.regions_below(region, 4),
        "rooms_operating": counting.sites_in(region, SiteKind.ROOM, opened_by=end),
        "villages": counting.regions_below(region, 5),
    }

    def figure(code):
        if code is None:
            return None
        if code in counted:
            return counted[code]
        return _element(code, region, sample.MONTH.year)

    return figure(indicator.numerator_id), figure(indicator.denominator_id)


def test_the_indicator_sheet_equals_the_records_cell_by_cell(world, nanshan_admin, nanshan):
    rows = body(workbook(nanshan_admin, nanshan)["指标"])
    built_in = list(Indicator.objects.filter(built_in=True).order_by("position"))
    assert [row[1] for row in rows] == [one.code for one in built_in]
    for row, indicator in zip(rows, built_in, strict=True):
        name, code, unit, numerator, denominator, value, target, year, gap, status = row
        assert (name, unit) == (indicator.name_zh, indicator.unit)
        expected_n, expected_d = _expected_indicator(indicator, nanshan)
        if expected_n is None or (indicator.denominator_id and not expected_d):
            assert value == "无数据" and status == "无数据", code
            continue
        expected = Decimal(expected_n) * indicator.factor
        if indicator.denominator_id:
            expected /= Decimal(expected_d)
            assert Decimal(str(denominator)) == expected_d, code
        assert Decimal(str(numerator)) == expected_n, code
        assert Decimal(str(value)) == expected.quantize(Decimal("0.01")), code
        found = Target.objects.filter(indicator=indicator, region_id=sample.GUANGDONG).first()
        if found is None:
            assert (target, year, gap, status) == (None, None, None, "未设目标"), code
            continue
        assert (Decimal(str(target)), year) == (found.value, found.year)
        assert Decimal(str(gap)) == (found.value - expected).quantize(Decimal("0.01"))
        assert status == ("已达标" if expected >= found.value else "滞后"), code
    by_code = {row[1]: row for row in rows}
    assert by_code["station_coverage"][3] == 1  # 蛇口's station opened in November
    assert by_code["facility_area_per_100_households"][9] == "已达标"


def test_the_statistics_sheet_equals_the_records_cell_by_cell(world, nanshan_admin, nanshan):
    sheet = workbook(nanshan_admin, nanshan)["服务统计"]
    assert [cell.value for cell in sheet[HEADER_ROW]][:4] == [
        "区划",
        "代码",
        "建档人数",
        "入户走访次数",
    ]
    *rows, total = body(sheet)
    children = list(Region.objects.filter(parent_id=nanshan.code).order_by("code"))
    assert [row[0] for row in rows] == [child.name for child in children]
    for row, child in zip(rows, children, strict=True):
        expected = counting.statistics(child, sample.MONTH)
        assert row[1] == child.display_code
        assert dict(zip(STATISTICS, row[2:], strict=True)) == expected, child.name
    assert total[:2] == ("合计 · 南山区", "440305")
    assert dict(zip(STATISTICS, total[2:], strict=True)) == counting.statistics(
        nanshan, sample.MONTH
    )
    yuehai = dict(zip(STATISTICS, rows[[c.code for c in children].index(YUEHAI)][2:], strict=True))
    assert yuehai["visits"] == 5 and yuehai["person_times"] == 40  # the story, by hand


def test_the_coverage_sheet_equals_the_records_cell_by_cell(world, nanshan_admin, nanshan):
    *rows, total = body(workbook(nanshan_admin, nanshan)["覆盖"])
    children = list(Region.objects.filter(parent_id=nanshan.code).order_by("code"))
    for row, child in zip(rows, children, strict=True):
        expected = counting.coverage(child)
        found = dict(zip(COVERAGE, row[2:], strict=True))
        for key in ("station_rate", "room_rate"):
            expected[key] = "无数据" if expected[key] is None else expected[key]
        assert (row[0], row[1]) == (child.name, child.display_code)
        assert found == expected, child.name
    assert dict(zip(COVERAGE, total[2:], strict=True)) == counting.coverage(nanshan)


def test_the_report_of_a_county_holds_nothing_from_outside_it(world, nanshan_admin, nanshan):
    book = workbook(nanshan_admin, nanshan)
    text = " ".join(
        str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row
    )
    futian = Region.objects.filter(code__startswith="440304").values_list("name", flat=True)
    assert not [name for name in futian if name in text]
    assert "440304" not in text
    # 福田's visits are in the records of the month, but not in 南山's total.
    statistics = dict(zip(STATISTICS, body(book["服务统计"])[-1][2:], strict=True))
    assert statistics["visits"] == counting.statistics(nanshan, sample.MONTH)["visits"] == 6


def test_a_street_manager_gets_the_street_by_village(world, yuehai_manager):
    yuehai = Region.objects.get(code=YUEHAI)
    book = workbook(yuehai_manager, yuehai)
    *rows, total = body(book["服务统计"])
    assert all(row[1].startswith("440305007") for row in rows)
    assert dict(zip(STATISTICS, total[2:], strict=True)) == counting.statistics(
        yuehai, sample.MONTH
    )
    assert book["服务统计"]["B6"].value == "yuehai_manager"


def test_a_region_outside_the_user_is_a_404(world, futian_admin, nanshan):
    from django.http import Http404

    with pytest.raises(Http404):
        monthly_report(user=futian_admin, region=nanshan, month=sample.MONTH)
    futian = Region.objects.get(code=FUTIAN)
    with pytest.raises(Http404):
        monthly_report_pdf(
            user=futian_admin, region=Region.objects.get(code=YUEHAI), month=sample.MONTH
        )
    assert futian.name in str(workbook(futian_admin, futian)["指标"]["B2"].value)


def test_the_pdf_holds_the_region_and_the_figures(world, nanshan_admin, nanshan):
    content = monthly_report_pdf(user=nanshan_admin, region=nanshan, month=sample.MONTH)
    assert content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 3
    pages = [page.extract_text() for page in reader.pages]
    text = "".join(pages).replace("\n", "")  # a long name wraps inside its cell
    assert "南山区" in text and "2026-10" in text
    assert "乡镇(街道)社工站覆盖率" in pages[0] and "11.11" in pages[0]  # 1 of 9 townships
    lines = [line.strip() for line in pages[1].splitlines()]
    assert "入户走访次数" in text and "粤海街道" in lines
    yuehai = lines.index("粤海街道")
    assert lines[yuehai + 1 : yuehai + 4] == ["440305007", "3", "5"]  # filed, visits
    assert "22.2" in [
        line.strip() for line in pages[2].splitlines()
    ]  # coverage of 南山区: 2 of 9 townships
    assert "园岭街道" not in text and "福田" not in text


def test_each_download_is_recorded_as_an_export(world, nanshan_admin, nanshan):
    monthly_report(user=nanshan_admin, region=nanshan, month=sample.MONTH)
    monthly_report_pdf(user=nanshan_admin, region=nanshan, month=sample.MONTH)
    found = AuditEntry.objects.filter(
        action=Action.EXPORT, object_type="dashboards.monthly_report"
    ).order_by("seq")
    assert [entry.changes["format"] for entry in found] == ["xlsx", "pdf"]
    assert {entry.actor_id for entry in found} == {nanshan_admin.pk}
    assert {entry.region_code for entry in found} == {nanshan.code}
    assert found[0].object_id == "440305:2026-10"
