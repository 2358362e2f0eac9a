"""The generic table reader, on real .xlsx and .csv files written to tmp_path."""

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from wushe.core.tabular import (
    Column,
    ErrorReport,
    Problem,
    RowError,
    read_table,
    write_template,
)
from wushe.core.tabular.cells import cell_text

NAME = Column("姓名")
ID = Column("身份证号", aliases=("身份证号码",), text_only=True)
PHONE = Column("联系电话", aliases=("手机",))
VILLAGE = Column("村(社区)代码", required=False)
NOTE = Column("备注", required=False)
COLUMNS = [NAME, ID, PHONE, VILLAGE, NOTE]
ID_NUMBER = "11010519491231002X"


def xlsx(path: Path, *rows: list) -> Path:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def csv_file(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def read(source, columns=COLUMNS, **kwargs) -> tuple[object, list]:
    with read_table(source, columns=columns, **kwargs) as table:
        return table, list(table)


def test_it_matches_headers_in_any_order_with_spaces_and_aliases(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        ["　手机 ", "籍贯", " 姓名", "身份证号码", "村（社区）代码"],
        ["13812345678", "广东", "张三", ID_NUMBER, "440305007003"],
    )
    table, rows = read(path)
    assert table.usable and table.format == "xlsx" and table.encoding is None
    assert table.unknown_columns == ["籍贯"]
    assert table.absent_columns == ["备注"]
    assert rows[0].values == {
        "联系电话": "13812345678",
        "姓名": "张三",
        "身份证号": ID_NUMBER,
        "村(社区)代码": "440305007003",
        "备注": "",
    }


def test_a_missing_required_column_is_a_file_error_naming_it(tmp_path):
    path = csv_file(tmp_path / "a.csv", "姓名,备注\n张三,x\n")
    table, rows = read(path)
    assert rows == [] and not table.usable
    assert [(e.row, e.column, e.code) for e in table.errors] == [
        (1, "身份证号", "missing_column"),
        (1, "联系电话", "missing_column"),
    ]
    assert "身份证号" in table.errors.sorted()[0].message_zh


def test_a_column_given_twice_is_a_duplicate_naming_both_places(tmp_path):
    path = csv_file(tmp_path / "a.csv", "姓名,身份证号,联系电话,身份证号码\n张三,1,2,3\n")
    table, rows = read(path)
    (error,) = table.errors
    assert (error.row, error.column, error.code) == (1, "身份证号", "duplicate_column")
    assert "B" in error.message_en and "D" in error.message_en
    assert rows == []


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("gbk", "gb18030"), ("utf-8-sig", "utf-8-sig"), ("utf-8", "utf-8"), ("utf-16", "utf-16")],
)
def test_it_reads_the_encodings_excel_writes_and_says_which(tmp_path, encoding, reported):
    separator = "\t" if encoding == "utf-16" else ","  # Excel's "Unicode text" is tab-separated
    text = separator.join(["姓名", "身份证号", "联系电话"]) + "\r\n"
    text += separator.join(["欧阳娜娜", ID_NUMBER, "13812345678"]) + "\r\n"
    table, rows = read(csv_file(tmp_path / "a.csv", text, encoding))
    assert table.encoding == reported
    assert rows[0].values["姓名"] == "欧阳娜娜" and rows[0].values["身份证号"] == ID_NUMBER


def test_gbk_first_met_after_a_megabyte_is_still_detected(tmp_path):
    columns = [Column("name"), Column("code")]
    lines = ["name,code"] + [f"x{n},{n}" for n in range(150_000)] + ["张三,1"]
    table, rows = read(csv_file(tmp_path / "a.csv", "\n".join(lines), "gbk"), columns)
    assert table.encoding == "gb18030"
    assert rows[-1].values == {"name": "张三", "code": "1"}
    assert rows[-1].number == 150_002


def test_a_csv_that_is_neither_utf8_nor_gbk_is_refused(tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("姓名,身份证号,联系电话\n".encode() + b"\xff\xff,1,2\n")
    table, rows = read(path)
    assert [(e.row, e.code) for e in table.errors] == [(0, "bad_encoding")]
    assert rows == []


def test_numbers_excel_stored_come_back_as_the_digits_shown():
    assert cell_text(13812345678.0) == "13812345678"
    assert cell_text(4.40305199001011e17) == "440305199001011000"  # no scientific notation
    assert cell_text(0.1 + 0.2) == "0.3"  # Excel shows 15 significant digits
    assert cell_text(3.5) == "3.5" and cell_text(-0.0) == "0" and cell_text(True) == "TRUE"


def test_an_id_number_stored_as_a_number_is_not_text(tmp_path):
    path = xlsx(
        tmp_path / "a.xlsx",
        ["姓名", "身份证号", "联系电话"],
        ["张三", 4.40305199001011e17, 13812345678],
        ["李四", ID_NUMBER, 13912345678.0],
    )
    table, rows = read(path)
    assert [(e.row, e.column, e.code) for e in table.errors] == [(2, "身份证号", "not_text")]
    assert rows[0].errors == tuple(table.errors)
    assert "文本" in rows[0].errors[0].message_zh and "Text" in rows[0].errors[0].message_en
    assert isinstance(rows[0].raw["身份证号"], float)
    assert rows[0].values["身份证号"] == "440305199001011000"
    assert [row.values["联系电话"] for row in rows] == ["13812345678", "13912345678"]
    assert rows[1].errors == ()


def test_scientific_notation_in_a_csv_is_not_text(tmp_path):
    path = csv_file(tmp_path / "a.csv", "姓名,身份证号,联系电话\n张三,4.40305E+17,1.38123E+10\n")
    table, rows = read(path)
    assert [(e.row, e.column, e.code) for e in table.errors] == [(2, "身份证号", "not_text")]
    assert rows[0].values["联系电话"] == "1.38123E+10"  # not text-only: left to the importer


def test_a_number_in_a_column_that_is_not_text_only_is_kept_quietly(tmp_path):
    columns = [NAME, Column("身份证号")]
    path = xlsx(tmp_path / "a.xlsx", ["姓名", "身份证号"], ["张三", 4.40305199001011e17])
    table, rows = read(path, columns)
    assert len(table.errors) == 0
    assert rows[0].values["身份证号"] == "440305199001011000"
    assert rows[0].raw["身份证号"] == pytest.approx(4.40305199001011e17)


def test_dates_come_back_in_iso_8601(tmp_path):
    columns = [NAME, Column("出生日期"), Column("走访时间")]
    path = xlsx(
        tmp_path / "a.xlsx",
        ["姓名", "出生日期", "走访时间"],
        ["张三", dt.date(1949, 12, 31), dt.datetime(2024, 3, 5, 14, 30)],
    )
    _, rows = read(path, columns)
    assert rows[0].values == {
        "姓名": "张三",
        "出生日期": "1949-12-31",
        "走访时间": "2024-03-05T14:30:00",
    }


def test_empty_rows_are_skipped_and_rows_are_numbered_as_excel_shows(tmp_path):
    header = ["姓名", "身份证号", "联系电话"]
    path = xlsx(
        tmp_path / "a.xlsx",
        [],
        header,
        ["张三", ID_NUMBER, "1"],
        [None, " ", "　"],
        [],
        ["李四", ID_NUMBER, "2"],
    )
    table, rows = read(path)
    assert table.header_row == 2
    assert [(row.number, row.values["姓名"]) for row in rows] == [(3, "张三"), (6, "李四")]


def test_a_line_break_inside_a_csv_cell_does_not_shift_row_numbers(tmp_path):
    text = '姓名,身份证号,联系电话,备注\n张三,1,2,"第一行\n第二行"\n,,,\n李四,3,4,\n'
    _, rows = read(csv_file(tmp_path / "a.csv", text))
    assert [(row.number, row.values["备注"]) for row in rows] == [(2, "第一行\n第二行"), (4, "")]


def test_a_damaged_csv_reports_where_it_stopped_after_the_rows_before(tmp_path):
    text = '姓名,身份证号,联系电话\n张三,1,2\n李四,"' + "x" * 200_000 + "\n"
    table, rows = read(csv_file(tmp_path / "a.csv", text))
    assert [row.number for row in rows] == [2]
    assert [(e.row, e.code) for e in table.errors] == [(3, "unreadable_file")]
    assert not table.usable


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "unsupported_format"),
        (b"<html><table><tr><td>1</td></tr></table></html>", "unsupported_format"),
        (b"PK\x03\x04 damaged", "unreadable_file"),
        (b"", "empty_file"),
        (b"\r\n , \r\n", "empty_file"),
    ],
)
def test_files_that_are_not_tables_are_file_errors_never_exceptions(tmp_path, content, code):
    path = tmp_path / "upload.xls"
    path.write_bytes(content)
    table, rows = read(path)
    assert [(e.row, e.code) for e in table.errors] == [(0, code)] and rows == []


def test_text_named_xlsx_is_a_damaged_workbook(tmp_path):
    table, _ = read(csv_file(tmp_path / "a.xlsx", "姓名,身份证号,联系电话\n"))
    assert [e.code for e in table.errors] == ["unreadable_file"]


def test_it_reads_file_objects_and_leaves_them_open(tmp_path):
    data = "姓名,身份证号,联系电话\n张三,1,2\n".encode("gbk")
    upload = SimpleUploadedFile("居民.csv", data)  # what a page's form hands over
    table, rows = read(upload)
    assert table.encoding == "gb18030" and rows[0].values["姓名"] == "张三"
    assert not upload.closed

    class Pipe(io.RawIOBase):  # a stream that cannot seek
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            return self._data.readinto(buffer)

    workbook = xlsx(tmp_path / "a.xlsx", ["姓名", "身份证号", "联系电话"], ["李四", "1", "2"])
    _, rows = read(Pipe(workbook.read_bytes()))
    assert rows[0].values["姓名"] == "李四"


def test_a_table_is_read_once(tmp_path):
    table = read_table(csv_file(tmp_path / "a.csv", "姓名,身份证号,联系电话\n"), columns=COLUMNS)
    assert list(table) == []
    with pytest.raises(RuntimeError, match="read once"):
        list(table)


def test_two_columns_sharing_a_header_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError, match="share"):
        read_table(
            tmp_path / "none.csv", columns=[Column("手机"), Column("电话", aliases=("手机",))]
        )


def test_progress_counts_rows_and_ends_at_the_total(tmp_path):
    lines = ["姓名,身份证号,联系电话"] + [f"张{n},{n},{n}" for n in range(10)]
    calls: list[tuple[int, int | None]] = []
    read(
        csv_file(tmp_path / "a.csv", "\n".join(lines)),
        progress=lambda done, total: calls.append((done, total)),
        progress_every=3,
    )
    assert [done for done, _ in calls] == [0, 3, 6, 9, 10]
    assert calls[-1] == (10, 10)

    calls.clear()
    rows = [["姓名", "身份证号", "联系电话"]] + [[f"张{n}", "1", "2"] for n in range(5)]
    read(
        xlsx(tmp_path / "a.xlsx", *rows),
        progress=lambda done, total: calls.append((done, total)),
        progress_every=2,
    )
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]  # total from the sheet's declared size


def test_a_problem_formats_both_languages_from_one_set_of_values():
    unknown = Problem("unknown_category", "未知的困难类别“{value}”", "Unknown category “{value}”")
    error = unknown.at(7, "困难类别", value="低保户")
    assert error == RowError(
        7, "困难类别", "unknown_category", "未知的困难类别“低保户”", "Unknown category “低保户”"
    )


def test_the_report_groups_by_row_and_counts():
    report = ErrorReport()
    report.add(5, "姓名", "missing_name", "缺少姓名", "Name is missing")
    report.add(2, "身份证号", "bad_check_digit", "校验位错误", "Bad check digit")
    report.append(RowError(5, "联系电话", "bad_phone", "不是大陆手机号", "Not a mainland number"))
    assert len(report) == 3
    assert list(report.by_row()) == [2, 5]
    assert [e.code for e in report.by_row()[5]] == ["missing_name", "bad_phone"]
    assert report.codes() == {"missing_name", "bad_check_digit", "bad_phone"}


def sample_report() -> ErrorReport:
    report = ErrorReport()
    report.add(
        3, "身份证号", "bad_check_digit", "校验位错误，应为 X", "Bad check digit, expected X"
    )
    report.add(0, "", "bad_encoding", "无法识别编码", "Unknown encoding")
    report.add(2, "备注", "formula", "=以等号开头", "=starts with an equals sign")
    return report


def test_the_report_as_csv_has_a_bom_and_reads_back_sorted(tmp_path):
    path = tmp_path / "errors.csv"
    sample_report().write(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["行", "列", "代码", "说明", "Message"],
        ["0", "", "bad_encoding", "无法识别编码", "Unknown encoding"],
        ["2", "备注", "formula", "'=以等号开头", "'=starts with an equals sign"],  # never a formula
        ["3", "身份证号", "bad_check_digit", "校验位错误，应为 X", "Bad check digit, expected X"],
    ]


def test_the_report_as_xlsx_has_a_bold_header_and_widths(tmp_path):
    path = tmp_path / "errors.xlsx"
    sample_report().write(path)
    sheet = load_workbook(path).active
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["行", "列", "代码", "说明", "Message"],
        [0, None, "bad_encoding", "无法识别编码", "Unknown encoding"],
        [2, "备注", "formula", "=以等号开头", "=starts with an equals sign"],
        [3, "身份证号", "bad_check_digit", "校验位错误，应为 X", "Bad check digit, expected X"],
    ]
    assert sheet["C3"].data_type == "s" and sheet["D3"].data_type == "s"  # text, not a formula
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.column_dimensions["D"].width == 60
    with pytest.raises(ValueError, match=".csv or .xlsx"):
        sample_report().write(tmp_path / "errors.txt")


def test_the_xlsx_template_keeps_text_columns_as_text(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path, COLUMNS, examples=[{"姓名": "张三", "身份证号": ID_NUMBER}])
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[1]] == [c.name for c in COLUMNS]
    assert sheet.column_dimensions["B"].number_format == "@"  # cells typed later too
    assert sheet["B2"].number_format == "@" and sheet["B2"].value == ID_NUMBER
    assert sheet.column_dimensions["C"].number_format == "General"
    table, rows = read(path)
    assert len(table.errors) == 0 and rows[0].values["身份证号"] == ID_NUMBER


def test_the_csv_template_reads_back(tmp_path):
    path = tmp_path / "template.csv"
    write_template(path, COLUMNS, examples=[{"姓名": "张三", "身份证号": ID_NUMBER}])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    table, rows = read(path)
    assert table.encoding == "utf-8-sig" and len(table.errors) == 0
    assert rows[0].values["身份证号"] == ID_NUMBER and rows[0].values["姓名"] == "张三"
    with pytest.raises(ValueError, match="not in the template"):
        write_template(path, COLUMNS, examples=[{"籍贯": "广东"}])
