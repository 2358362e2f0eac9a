"""Deriving rows in a forked child (``importing.parallel``) changes nothing an import reports or
writes: the same error report, counts and files as deriving them in-process."""

from datetime import date

import pytest
from django.db import transaction

from wushe.core.tabular import Row
from wushe.people.importing import import_residents, parallel, service
from wushe.people.models import Resident
from wushe.people.tests.import_sheets import HEADERS, good_rows, person, write_csv, write_xlsx
from wushe.people.tests.test_import import BAD_ROWS, new_id, one_of_each_bad_row

pytestmark = pytest.mark.django_db
START_CHILD = parallel._Child.__init__


@pytest.fixture
def small_chunks(monkeypatch):
    # 22 rows in chunks of 3: the child derives seven chunks, the last one short.
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
    )


def run(monkeypatch, forked: bool, **kwargs):
    monkeypatch.setattr(parallel, "_can_fork", lambda: forked)
    children = []

    def counted(self, today):
        START_CHILD(self, today)
        children.append(self.process)

    monkeypatch.setattr(parallel._Child, "__init__", counted)
    with transaction.atomic():
        result = import_residents(**kwargs)
        written = sorted(Resident.objects.values_list("name", "id_hash", "phone_hash", "region"))
        transaction.set_rollback(True)  # the next run starts from the same database
    return result, written, children


def test_a_forked_child_gives_the_serial_error_report(
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


def test_a_forked_child_files_what_the_serial_path_files(
    yuehai_manager, tmp_path, small_chunks, monkeypatch
):
    rows = good_rows() + [person(f"人{n}", new_id(100 + n)) for n in range(10)]
    path = write_csv(tmp_path / "good.csv", rows)
    serial, serial_written, _ = run(monkeypatch, False, actor=yuehai_manager, source=path)
    forked, forked_written, children = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert forked.ok and forked.created == len(rows) == len(forked_written) and children
    assert forked_written == serial_written
    assert summary_of(forked) == summary_of(serial)


def test_a_child_that_dies_leaves_the_parent_to_derive(
    yuehai_manager, futian_admin, tmp_path, small_chunks, monkeypatch
):
    path = one_of_each_bad_row(tmp_path, futian_admin)
    serial, _, _ = run(monkeypatch, False, actor=yuehai_manager, source=path)
    monkeypatch.setattr(parallel, "_serve", lambda connection, today: None)  # exits at once
    forked, _, children = run(monkeypatch, True, actor=yuehai_manager, source=path)

    assert children and children[0].exitcode == 0
    assert report_of(forked) == report_of(serial)
    assert summary_of(forked) == summary_of(serial)


def test_one_chunk_is_derived_without_a_child(yuehai_manager, tmp_path, monkeypatch):
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
    rows = [
        Row(n, dict(zip(HEADERS, person(f"人{n}", new_id(n)), strict=True)), {}, ())
        for n in range(2, 14)
    ]
    monkeypatch.setattr(parallel, "_can_fork", lambda: True)
    children = []

    def counted(self, today):
        START_CHILD(self, today)
        children.append(self.process)

    monkeypatch.setattr(parallel._Child, "__init__", counted)
    chunks = parallel.derived_chunks((rows[i : i + 3] for i in range(0, 12, 3)), date.today())
    chunk, derived = next(chunks)
    chunks.close()

    assert [row.number for row in chunk] == [2, 3, 4] and derived[0][0] == ""
    assert len(children) == parallel.CHILDREN
    assert all(not child.is_alive() and child.exitcode == 0 for child in children)
