"""Errors found in an imported table, and the report a user downloads to fix the file.

Every error names the row as Excel shows it, the column, a stable code and the reason in
Chinese and in English. Both languages are carried explicitly rather than as a gettext msgid:
the report is a file the user keeps, read by people who did not choose the page's language.

Row numbers: 0 means the whole file (its format or encoding); the header row's number (1 unless
blank rows precede it) means a problem with the headers; any other number is that data row.

Codes the reader itself reports (importers add their own):

- ``unsupported_format``: not an .xlsx or a CSV (e.g. a legacy .xls);
- ``unreadable_file``: a damaged workbook or CSV; at row 0 when it cannot be opened, at the row
  where reading stopped otherwise (rows before it were read);
- ``too_large``: a workbook that would unpack to more than ``MAX_UNPACKED_BYTES``;
- ``bad_encoding``: a CSV that is neither UTF-8 nor GB18030 (GBK);
- ``empty_file``: no header row;
- ``missing_column``: a required column is not among the headers;
- ``duplicate_column``: two headers name the same column;
- ``not_text``: a cell of a text-only column (an ID number) was stored as a number or a date,
  so Excel may have dropped digits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from os import PathLike

from wushe.core.tabular.writing import write_rows

REPORT_HEADERS = ("行", "列", "代码", "说明", "Message")
REPORT_WIDTHS = (8, 16, 20, 60, 60)


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one cell, row or file (see the module docstring for row numbers)."""

    row: int
    column: str
    code: str
    message_zh: str
    message_en: str


@dataclass(frozen=True, slots=True)
class Problem:
    """A kind of error: its stable code and a pair of ``str.format`` templates.

    ``MISSING_COLUMN.at(1, "姓名", column="姓名")`` builds the error for one place; the values
    are formatted into both templates, so the two languages cannot drift apart.
    """

    code: str
    zh: str
    en: str

    def at(self, row: int, column: str = "", /, **params: object) -> RowError:
        return RowError(row, column, self.code, self.zh.format(**params), self.en.format(**params))


UNSUPPORTED_FORMAT = Problem(
    "unsupported_format",
    "不支持这种文件格式（{kind}）：请在 Excel 中另存为“Excel 工作簿 (.xlsx)”（不设密码）"
    "或“CSV UTF-8”后再导入。",
    "Unsupported file format ({kind}): save it from Excel as “Excel Workbook (.xlsx)” without a "
    "password, or as “CSV UTF-8”, and import it again.",
)
UNREADABLE_FILE = Problem(
    "unreadable_file",
    "文件已损坏或不是有效的 {kind} 文件，无法读取：{detail}",
    "The file is damaged or not a valid {kind} file and cannot be read: {detail}",
)
TOO_LARGE = Problem(
    "too_large",
    "文件解压后超过 {limit} MB，请拆分为几个文件分批导入。",
    "The file unpacks to more than {limit} MB: split it into several files and import them "
    "one by one.",
)
BAD_ENCODING = Problem(
    "bad_encoding",
    "无法识别文件的文字编码（既不是 UTF-8 也不是 GBK/GB18030）：请在 Excel 中另存为“CSV UTF-8”。",
    "The file's text encoding is neither UTF-8 nor GBK/GB18030: save it from Excel as “CSV UTF-8”.",
)
EMPTY_FILE = Problem(
    "empty_file",
    "文件是空的：第一行应为列名。",
    "The file is empty: its first row should hold the column names.",
)
MISSING_COLUMN = Problem(
    "missing_column",
    "缺少必填列“{column}”。",
    "Required column “{column}” is missing.",
)
DUPLICATE_COLUMN = Problem(
    "duplicate_column",
    "列“{column}”出现了不止一次（{first} 列和 {second} 列），请只保留一列。",
    "Column “{column}” appears more than once (columns {first} and {second}): keep only one.",
)
NOT_TEXT = Problem(
    "not_text",
    "“{column}”必须以文本格式保存：Excel 把它存成了数字或日期，可能已丢掉末尾几位。"
    "请把这一列的单元格格式设为“文本”，再重新输入。",
    "“{column}” must be stored as text: Excel stored it as a number or a date and may have "
    "dropped its last digits. Format the column's cells as Text and type the values again.",
)

READER_PROBLEMS = (
    UNSUPPORTED_FORMAT,
    UNREADABLE_FILE,
    TOO_LARGE,
    BAD_ENCODING,
    EMPTY_FILE,
    MISSING_COLUMN,
    DUPLICATE_COLUMN,
    NOT_TEXT,
)


class ErrorReport:
    """The errors of one import, in the order found; written sorted by row."""

    def __init__(self, errors: Iterable[RowError] = ()) -> None:
        self._errors: list[RowError] = list(errors)

    def add(self, row: int, column: str, code: str, message_zh: str, message_en: str) -> RowError:
        error = RowError(row, column, code, message_zh, message_en)
        self._errors.append(error)
        return error

    def append(self, error: RowError) -> None:
        self._errors.append(error)

    def extend(self, errors: Iterable[RowError]) -> None:
        self._errors.extend(errors)

    def __len__(self) -> int:
        return len(self._errors)

    def __iter__(self) -> Iterator[RowError]:
        return iter(self._errors)

    def __repr__(self) -> str:
        return f"<ErrorReport {len(self)} errors>"

    def sorted(self) -> list[RowError]:
        # Stable: errors of one row keep the order they were found in.
        return sorted(self._errors, key=lambda error: error.row)

    def by_row(self) -> dict[int, list[RowError]]:
        rows: dict[int, list[RowError]] = {}
        for error in self.sorted():
            rows.setdefault(error.row, []).append(error)
        return rows

    def codes(self) -> set[str]:
        return {error.code for error in self._errors}

    def write(self, path: str | PathLike[str]) -> None:
        """Write the report as .csv (UTF-8 with BOM, for Excel) or .xlsx, by the extension."""
        rows = (
            (error.row, error.column, error.code, error.message_zh, error.message_en)
            for error in self.sorted()
        )
        write_rows(path, REPORT_HEADERS, rows, widths=REPORT_WIDTHS)
