"""A large CSV loaded in bulk into PostgreSQL (``importing.bulk``): written while it is checked,
yet all or nothing, with every index and constraint back as it was, the same report and files
as the ordinary path, and the 建档人数 counters equal to a recount — after new files, updates
and both at once, on SQLite (the ordinary path) as on PostgreSQL."""

import pytest
from django.db import connection, transaction

from conftest import FUTIAN_VILLAGE, YUEHAI_VILLAGE
from wushe.audit.models import AuditEntry
from wushe.people.importing import IMPORT_TYPE, bulk, import_residents, writing
from wushe.people.models import Resident
from wushe.people.services import resident_file
from wushe.people.tests.import_sheets import (
    SHEKOU_VILLAGE,
    YUEHAI_VILLAGE_2,
    good_rows,
    person,
    write_csv,
)
from wushe.people.tests.test_import import new_id
from wushe.people.tests.test_import_parallel import report_of, summary_of
from wushe.regions.models import Region
from wushe.statistics import recompute

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY, indexes")


def schema():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN (%s, %s)",
            [writing.RESIDENTS, writing.CATEGORIES],
        )
        found = sorted(cursor.fetchall())
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
            "WHERE conrelid IN (%s::regclass, %s::regclass)",
            [writing.RESIDENTS, writing.CATEGORIES],
        )
        found += sorted(cursor.fetchall())
        cursor.execute(
            "SELECT column_name, column_default FROM information_schema.columns "
            "WHERE table_name = %s",
            [writing.RESIDENTS],
        )
        return found + sorted(cursor.fetchall())


def sheet(tmp_path, name="big.csv", count=40, first=400):
    rows = good_rows() + [
        person(f"人{n}", new_id(n), 困难类别=["低保", "特困、空巢老人", ""][n % 3])
        for n in range(first, first + count)
    ]
    return write_csv(tmp_path / name, rows), rows


@pytest.fixture
def in_bulk(monkeypatch):
    """Sheets of 20 rows or more load in bulk; records whether one did."""
    monkeypatch.setattr(writing, "BULK_ROWS", 20)
    loads = []
    begin = bulk.BulkLoad.begin

    def recorded(self):
        loads.append(self)
        begin(self)

    monkeypatch.setattr(bulk.BulkLoad, "begin", recorded)
    return loads


def written():
    return sorted(
        Resident.objects.values_list(
            "name", "id_hash", "phone_hash", "region", "address", "notes", "risk_level", "station"
        )
    )


@postgresql_only
def test_a_bulk_load_writes_as_it_checks_and_rebuilds_what_it_dropped(
    yuehai_manager, yuehai_station, tmp_path, in_bulk
):
    before = schema()
    path, rows = sheet(tmp_path)
    stages = []
    result = import_residents(
        actor=yuehai_manager,
        source=path,
        station=yuehai_station,
        progress=lambda stage, done, total: stages.append(stage),
    )

    assert in_bulk and result.ok and result.created == len(rows)
    assert stages.index("write") < stages.index("index")
    assert schema() == before
    assert sorted(Resident.objects.values_list("pk", flat=True)) == sorted(result.created_ids)
    assert Resident.objects.filter(station=yuehai_station).count() == len(rows)
    assert Resident.objects.get(name="李梅").categories.count() == 2
    filed_at = AuditEntry.objects.get(object_type=IMPORT_TYPE).changes["filed_at"]
    assert Resident.objects.filter(created_at=filed_at, updated_at=filed_at).count() == len(rows)
    assert recompute.check() == []
    # The sequence was moved past the ids taken: a file filed now gets the next one.
    later = resident_file(
        actor=yuehai_manager,
        name="后来",
        id_number=new_id(999),
        region=Region.objects.get(code=YUEHAI_VILLAGE),
    )
    assert later.pk > max(result.created_ids)


@postgresql_only
def test_a_bulk_load_with_a_bad_row_leaves_nothing_behind(yuehai_manager, tmp_path, in_bulk):
    before = schema()
    path, rows = sheet(tmp_path)
    rows[30][2] = rows[30][2][:-1] + ("0" if rows[30][2][-1] != "0" else "1")  # check digit
    write_csv(path, rows)
    result = import_residents(actor=yuehai_manager, source=path)

    assert in_bulk and not result.written and [e.code for e in result.report] == ["id_check_digit"]
    assert result.to_create == len(rows) - 1 and not Resident.objects.exists()
    assert schema() == before
    assert recompute.check() == []

    valid = import_residents(actor=yuehai_manager, source=path, valid_only=True)
    assert valid.written and valid.created == len(rows) - 1 == Resident.objects.count()
    assert schema() == before and recompute.check() == []


def run(monkeypatch, loads: bool, **kwargs):
    """An import rolled back: its result and the files it wrote, in bulk or not."""
    monkeypatch.setattr(writing, "BULK_ROWS", 20 if loads else 10**9)
    with transaction.atomic():
        result = import_residents(**kwargs)
        files = written()
        check = recompute.check()
        transaction.set_rollback(True)
    return result, files, check


@postgresql_only
def test_a_bulk_load_over_files_already_there_reports_and_writes_as_the_ordinary_path(
    yuehai_manager, nanshan_admin, futian_admin, tmp_path, monkeypatch, in_bulk
):
    path, rows = sheet(tmp_path, count=12)
    import_residents(actor=yuehai_manager, source=write_csv(tmp_path / "first.csv", rows[:4]))
    resident_file(  # in 福田: refused as filed elsewhere
        actor=futian_admin,
        name="福田人",
        id_number=rows[5][2],
        region=Region.objects.get(code=FUTIAN_VILLAGE),
    )
    rows[0] = person("张三丰", rows[0][2], 困难类别="特困", **{"村(社区)代码": YUEHAI_VILLAGE_2})
    rows[1][3] = "13900001111"  # a new phone for 李梅
    rows[6][4] = SHEKOU_VILLAGE  # outside 粤海
    rows[7][2] = rows[8][2]  # a repeated ID number
    rows += [person(f"又{n}", new_id(700 + n)) for n in range(20)]
    write_csv(path, rows)
    for mode in ({}, {"valid_only": True}):
        ordinary, ordinary_files, _ = run(
            monkeypatch, False, actor=yuehai_manager, source=path, **mode
        )
        in_bulk.clear()
        loaded, loaded_files, check = run(
            monkeypatch, True, actor=yuehai_manager, source=path, **mode
        )

        assert in_bulk and in_bulk[0].files_before
        assert report_of(loaded) == report_of(ordinary)
        assert summary_of(loaded) == summary_of(ordinary)
        assert loaded_files == ordinary_files and check == []
        assert {e.code for e in loaded.report} >= {"filed_elsewhere", "id_duplicate_in_file"}


def test_imports_of_new_files_updates_and_both_leave_the_counters_exact(
    yuehai_manager, nanshan_admin, tmp_path
):
    path, rows = sheet(tmp_path, count=9)
    assert import_residents(actor=yuehai_manager, source=path).created == len(rows)
    assert recompute.check() == []
    rows[0] = person("张三丰", rows[0][2], 困难类别="特困", **{"村(社区)代码": YUEHAI_VILLAGE_2})
    rows[4][6] = "残疾人"  # a new category needs a grade
    rows[4][8] = "3"
    rows[5][6] = ""  # a blank cell keeps the categories
    rows[6][6] = "低保"
    updated = import_residents(actor=yuehai_manager, source=write_csv(path, rows))
    assert updated.updated == 3 and recompute.check() == []
    rows[1] = person("李梅", rows[1][2], **{"村(社区)代码": SHEKOU_VILLAGE})  # to 蛇口
    rows += [person(f"新{n}", new_id(800 + n), 困难类别="低保、独居老人") for n in range(5)]
    both = import_residents(actor=nanshan_admin, source=write_csv(path, rows))
    assert (both.created, both.updated) == (5, 1) and recompute.check() == []
