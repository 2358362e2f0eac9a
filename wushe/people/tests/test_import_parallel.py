"""Checking chunks in forked children (``importing.parallel``), and reading a CSV in blocks of
bytes (``importing.blocks``), change nothing an import reports or writes: the same error report,
counts and files as checking in-process what ``read_table`` reads row by row."""

import csv
from datetime import date

import pytest
from django.db import transaction

from wushe.core.tabular import read_table
from wushe.people.importing import COLUMNS, blocks, import_residents, parallel, service
from wushe.people.importing.checking import COLUMN_NAMES
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import HEADERS, good_rows, person, write_csv, write_xlsx
from wushe.people.tests.test_import import BAD_ROWS, new_id, one_of_each_bad_row

pytestmark = pytest.mark.django_db
START_CHILD = parallel._Child.__init__
LAYOUT_OF = blocks.layout_of


@pytest.fixture
def small_chunks(monkeypatch):
    # 22 rows in chunks of 3: the children check seven chunks, the last one short.
    monkeypatch.setattr(service, "CHUNK", 3)


def report_of(result) -> list[tuple]:
    return [(e.row, e.column, e.code, e.message_zh, e.message_en) for e in result.report.sorted()]


def summary_of(result) -> tuple:
    return (
        result.rows,
        result.to_create,
        result.to_update,
        result.created,
        result.updated,
        result.unchanged,
        result.rejected,
        result.written,
        result.fatal,
        result.sha256,
    )


def run(monkeypatch, forked: bool, blocks_allowed: bool = True, **kwargs):
    """An import rolled back: its result, the files it wrote, the children it started, and
    whether it read the sheet in blocks."""
    monkeypatch.setattr(parallel, "_can_fork", lambda: forked)
    layouts = []

    def layout_of(binary, table):
        layouts.append(LAYOUT_OF(binary, table) if blocks_allowed else None)
        return layouts[-1]

    monkeypatch.setattr(blocks, "layout_of", layout_of)
    children = []

    def counted(self, work):
        START_CHILD(self, work)
        children.append(self.process)

    monkeypatch.setattr(parallel._Child, "__init__", counted)
    with transaction.atomic():
        result = import_residents(**kwargs)
        written = sorted(
            Resident.objects.values_list(
                "name", "id_hash", "phone_hash", "region", "address", "notes", "risk_level"
            )
        )
        transaction.set_rollback(True)  # the next run starts from the same database
    run.in_blocks = any(layout is not None for layout in layouts)
    return result, written, children


def test_forked_children_give_the_serial_error_report(
    yuehai_manager, futian_admin, tmp_path, small_chunks, monkeypatch
):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    for mode in ({}, {"valid_only": True}, {"dry_run": True}):
        serial, serial_written, none = run(
            monkeypatch, False, actor=yuehai_manager, source=path, **mode
        )
        forked, forked_written, children = run(
            monkeypatch, True, actor=yuehai_manager, source=path, **mode
        )

        assert (
            none == []
            and len(children) == parallel.CHILDREN
            and all(c.exitcode == 0 for c in children)
        )
        assert len(serial.report) == len(BAD_ROWS)
        assert report_of(forked) == report_of(serial)
        assert summary_of(forked) == summary_of(serial)
        assert forked_written == serial_written


def test_forked_children_file_what_the_serial_path_files(
    yuehai_manager, tmp_path, small_chunks, monkeypatch
):
    rows = good_rows() + [person(f"人{n}", new_id(100 + n)) for n in range(10)]
    path = write_xlsx(tmp_path / "good.xlsx", rows)
    serial, serial_written, _ = run(monkeypatch, False, actor=yuehai_manager, source=path)
    forked, forked_written, children = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert forked.ok and forked.created == len(rows) == len(forked_written) and children
    assert forked_written == serial_written
    assert summary_of(forked) == summary_of(serial)


def test_a_child_that_dies_leaves_the_parent_to_check(
    yuehai_manager, futian_admin, tmp_path, small_chunks, monkeypatch
):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    serial, _, _ = run(monkeypatch, False, actor=yuehai_manager, source=path)
    monkeypatch.setattr(parallel, "_serve", lambda connection, work: None)  # exits at once
    forked, _, children = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert children and children[0].exitcode == 0
    assert report_of(forked) == report_of(serial)
    assert summary_of(forked) == summary_of(serial)


def test_one_chunk_is_checked_without_a_child(yuehai_manager, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "a.xlsx", good_rows())
    result, written, children = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert result.ok and len(written) == 3 and children == []


def test_only_a_process_with_one_thread_forks(monkeypatch):
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 1)
    assert parallel._can_fork()
    monkeypatch.setattr(parallel.threading, "active_count", lambda: 2)  # a web server's workers
    assert not parallel._can_fork()


def test_children_end_when_the_parent_stops_reading_early(monkeypatch):
    # An import that fails part-way closes the generator: its children must not linger.
    records = [
        (n, tuple(dict(zip(HEADERS, person(f"人{n}", new_id(n)), strict=True)).values()), False)
        for n in range(2, 14)
    ]
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    children = []

    def counted(self, work):
        START_CHILD(self, work)
        children.append(self.process)

    monkeypatch.setattr(parallel._Child, "__init__", counted)
    tasks = (parallel.rows_task(records[i : i + 3]) for i in range(0, 12, 3))
    chunks = parallel.checked_chunks(tasks, parallel.Work(date.today()))
    checked, lines, damaged = next(chunks)
    chunks.close()

    assert checked[2] == [2, 3, 4] and checked[4] == [True] * 3 and (lines, damaged) == (3, ())
    assert len(children) == parallel.CHILDREN
    assert all(not child.is_alive() and child.exitcode == 0 for child in children)


# --- a CSV read in blocks ----------------------------------------------------------------------


def awkward_csv(path, *, encoding="utf-8-sig", newline="\r\n", delimiter=",", end=True):
    """The bad rows and good ones, with what a real CSV holds besides: blank lines before the
    header and between rows, a row of spaces, one of delimiters only, a short row, an unknown
    column, an ID number in scientific notation, cells with spaces around them, repeated ID
    numbers."""
    headers = [*HEADERS, "来源"]
    rows = [row for _expected, row in BAD_ROWS] + good_rows()
    rows = [[*row, "走访"] for row in rows]
    rows[9][2] = rows[4][2]  # 壬 repeats 戊's ID number
    rows[11][2] = rows[6][2]  # and 子 己's, a man's: a duplicate and a gender mismatch
    rows[3][2] = "4.40305E+17"  # Excel's scientific notation: not_text
    rows[5] = [f"  {cell}\u3000" if cell else cell for cell in rows[5]]
    rows.insert(4, [])
    rows.insert(7, ["   "])
    rows.insert(9, [""] * len(headers))
    rows.insert(11, ["短行", new_id(90)])  # fewer cells than headers
    lines = ["", "  "]  # blank before the header
    for row in [headers, *rows, person("末行", new_id(91), 住址="A\\B")]:
        lines.append(delimiter.join(row))
    text = newline.join(lines) + (newline if end else "")
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"encoding": "utf-8", "newline": "\n"},
        {"encoding": "gb18030", "newline": "\r\n", "end": False},
        {"delimiter": "\t", "newline": "\r"},
        {"delimiter": ";", "end": False},
    ],
)
def test_a_csv_read_in_blocks_is_read_as_row_by_row(
    yuehai_manager, futian_admin, tmp_path, monkeypatch, options
):
    one_of_each_bad_row(tmp_path, futian_admin)  # files 辰 in 福田
    path = awkward_csv(tmp_path / "awkward.csv", **options)
    monkeypatch.setattr(service, "CHUNK", 4)
    for mode in ({}, {"valid_only": True}):
        rows, rows_written, _ = run(
            monkeypatch, False, blocks_allowed=False, actor=yuehai_manager, source=path, **mode
        )
        for forked in (False, True):
            in_blocks, written, children = run(
                monkeypatch, forked, actor=yuehai_manager, source=path, **mode
            )
            assert run.in_blocks and bool(children) == forked
            assert report_of(in_blocks) == report_of(rows)
            assert summary_of(in_blocks) == summary_of(rows)
            assert written == rows_written
        codes = {e.code for e in rows.report}
        assert {"not_text", "id_duplicate_in_file", "filed_elsewhere"} <= codes
        if mode:  # valid rows only: the last row's backslash is stored as written
            assert "A\\B" in {written[4] for written in rows_written}


def test_a_file_with_a_quote_or_a_nul_byte_is_read_row_by_row(yuehai_manager, tmp_path):
    quoted = good_rows()
    quoted[0][5] = "科技园, 1 栋"  # csv quotes a cell with a comma
    nul = good_rows()
    nul[1][7] = "a\x00b"
    for rows, by_blocks in ((good_rows(), True), (quoted, False), (nul, False)):
        path = write_csv(tmp_path / "a.csv", rows)
        with read_table(path, columns=COLUMNS) as table, path.open("rb") as binary:
            assert (blocks.layout_of(binary, table) is not None) == by_blocks
    result = import_residents(actor=yuehai_manager, source=write_csv(tmp_path / "q.csv", quoted))
    assert result.created == 3 and Resident.objects.get(name="张三丰").address == "科技园, 1 栋"


def test_a_csv_field_too_long_for_the_reader_stops_it_where_read_table_does(
    yuehai_manager, tmp_path, monkeypatch
):
    rows = [person(f"人{n}", new_id(200 + n)) for n in range(6)]
    rows[4][7] = "长" * (csv.field_size_limit() + 1)
    path = write_csv(tmp_path / "long.csv", rows)
    monkeypatch.setattr(service, "CHUNK", 2)
    by_rows, _, _ = run(monkeypatch, False, blocks_allowed=False, actor=yuehai_manager, source=path)
    in_blocks, _, _ = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert by_rows.fatal and [e.code for e in by_rows.report] == ["unreadable_file"]
    assert report_of(in_blocks) == report_of(by_rows)
    assert summary_of(in_blocks) == summary_of(by_rows)


def test_a_file_with_a_bom_but_not_utf8_further_on_is_read_row_by_row(
    yuehai_manager, tmp_path, monkeypatch
):
    rows = [person(f"人{n}", new_id(300 + n)) for n in range(300)]
    path = write_csv(tmp_path / "bad.csv", rows)  # with a BOM: nobody checks beyond it
    # Far enough in for the reader to open the file (it decodes ahead as it reads the header).
    path.write_bytes(path.read_bytes().replace("人250,".encode(), b"\xff250,"))
    monkeypatch.setattr(service, "CHUNK", 40)
    by_rows, _, _ = run(monkeypatch, False, blocks_allowed=False, actor=yuehai_manager, source=path)
    for forked in (False, True):
        in_blocks, _, children = run(monkeypatch, forked, actor=yuehai_manager, source=path)

        assert run.in_blocks and bool(children) == forked
        assert by_rows.fatal and "unreadable_file" in by_rows.report.codes()
        assert report_of(in_blocks) == report_of(by_rows)
        assert summary_of(in_blocks) == summary_of(by_rows)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_blocks_end_on_line_breaks_and_their_rows_are_numbered_in_order(tmp_path, newline):
    lines = [",".join(COLUMN_NAMES)] + [f"人{n},男,{n}" for n in range(10)] + ["", "末"]
    data = newline.join(lines).encode()
    path = tmp_path / "n.csv"
    path.write_bytes(data)
    start = len(lines[0].encode()) + len(newline)
    line_bytes = (len(data) - start) / 12
    layout = blocks.Layout(start, 2, len(data), line_bytes, "utf-8", ",", tuple(range(12)))
    with path.open("rb") as binary:
        found = list(blocks.blocks(binary, layout, 3))
    assert len(found) > 2 and b"".join(found) == data[start:]
    assert all(block.endswith(newline.encode()) for block in found[:-1])
    numbered, first = [], layout.first
    for block in found:
        records, _errors, lines, damaged = blocks.records(block, layout)
        checked = (len(records), [], [number for number, _, _ in records], {})
        names = [values[0] for _, values, _ in records]
        numbered += zip(blocks.renumber(checked, first)[2], names, strict=True)
        first += lines
    assert numbered == [(n + 2, f"人{n}") for n in range(10)] + [(13, "末")]
