"""``wushe match …`` and ``wushe regionpoints load …``."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from wushe.audit.models import AuditEntry
from wushe.matching.models import MatchRun, Proposal, RegionPoint, UnmetNeed
from wushe.matching.tests.sample import (
    KEJIYUAN,
    SHENDA,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)

pytestmark = pytest.mark.django_db


def run(command: str, *args) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def fails(command: str, *args) -> tuple[int, str]:
    with pytest.raises(CommandError) as raised:
        call_command(command, *args, stdout=StringIO(), stderr=StringIO())
    return raised.value.returncode, str(raised.value)


@pytest.fixture
def world(yuehai_manager, yuehai_station):
    put_points()
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_need(yuehai_manager, yuehai_station, make_resident(yuehai_manager, "张秀英"))
    make_need(
        yuehai_manager,
        yuehai_station,
        make_resident(yuehai_manager, "李桂兰"),
        skills=("legal",),
    )


def test_a_dry_run_prints_the_proposals_and_unmet_needs_and_writes_nothing(world):
    entries = AuditEntry.objects.count()
    out = run("match", "--station", "440305007", "--as", "yuehai_manager", "--dry-run")
    assert "nothing stored" in out
    assert "张秀英" in out and "王近" in out and "相距 0.0 公里" in out
    assert "李桂兰" in out and "无人具备该技能" in out
    assert not MatchRun.objects.exists() and not Proposal.objects.exists()
    assert not UnmetNeed.objects.exists() and AuditEntry.objects.count() == entries


def test_a_run_is_stored_and_audited(world):
    out = run("match", "--station", "440305007000", "--as", "yuehai_manager")
    run_row = MatchRun.objects.get()
    assert f"run {run_row.pk}" in out
    assert run_row.met == 1 and run_row.unmet_count == 1
    assert AuditEntry.objects.filter(object_type="matching.matchrun").count() == 1


def test_a_county_run_by_the_county_administrator(world, nanshan_admin):
    out = run("match", "--county", "440305", "--as", "nanshan_admin")
    assert "1 met" in out


def test_it_cannot_run_for_an_unknown_user_station_or_a_county_out_of_sight(world, futian_admin):
    assert fails("match", "--station", "440305007", "--as", "nobody")[0] == 2
    assert fails("match", "--station", "440305001", "--as", "yuehai_manager")[0] == 2
    assert fails("match", "--county", "440305", "--as", "futian_admin")[0] == 2
    assert fails("match", "--county", "440305", "--as", "yuehai_manager")[0] == 2
    assert fails("match", "--station", "44x", "--as", "yuehai_manager")[0] == 2
    assert not MatchRun.objects.exists()


def test_region_points_load_from_a_csv_and_replace_old_ones(tmp_path, nanshan_admin):
    sheet = tmp_path / "points.csv"
    sheet.write_text(
        f"code,latitude,longitude\n{KEJIYUAN},22.54,113.95\n{SHENDA},22.535,113.9355\n"
    )
    out = run("regionpoints", "load", str(sheet), "--as", "nanshan_admin")
    assert "2" in out
    assert RegionPoint.objects.get(region_id=KEJIYUAN).latitude == Decimal("22.540000")
    sheet.write_text(f"{KEJIYUAN},22.55,113.95\n")
    run("regionpoints", "load", str(sheet), "--as", "nanshan_admin")
    assert RegionPoint.objects.get(region_id=KEJIYUAN).latitude == Decimal("22.550000")


def test_one_bad_point_and_nothing_is_loaded(tmp_path, nanshan_admin, futian_admin):
    sheet = tmp_path / "points.csv"
    sheet.write_text(f"{KEJIYUAN},22.54,113.95\n{SHENDA},113.9,22.5\n999999,1,1\n")
    status, message = fails("regionpoints", "load", str(sheet), "--as", "nanshan_admin")
    assert status == 1 and "2" in message and "3" in message
    assert not RegionPoint.objects.exists()
    sheet.write_text(f"{KEJIYUAN},22.54,113.95\n")
    assert fails("regionpoints", "load", str(sheet), "--as", "futian_admin")[0] == 1
    assert not RegionPoint.objects.exists()
