"""recompute rebuilds every counter from the records; check names each disagreement; the
commands run them; the SQL roll-up walks the same lineage as ``codes.lineage``."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import NANSHAN, YUEHAI
from wushe.regions import codes
from wushe.statistics import recompute, rollup
from wushe.statistics.models import FiledBirthMonth, FiledCount, Tally
from wushe.statistics.tests.sample import record_the_year
from wushe.statistics.tests.test_never_disagree import stored

pytestmark = pytest.mark.django_db

FEBRUARY = date(2026, 2, 1)


@pytest.fixture
def year(nanshan_admin, yuehai_station):
    return record_the_year(nanshan_admin, yuehai_station)


def tally(code: str, month: date, metric: str) -> int:
    row = Tally.objects.filter(region_code=code, month=month, metric=metric).first()
    return row.value if row else 0


def test_recompute_rebuilds_from_the_records_what_the_services_kept(year):
    kept = stored()
    assert kept
    for model in (Tally, FiledCount, FiledBirthMonth):
        model.objects.all().delete()
    recompute.recompute()
    assert stored() == kept


def test_a_record_at_a_townships_own_code_counts_once_there(year):
    """The activity is held at 粤海街道 itself (440305007000): its 12- and 9-digit prefixes are
    one node, which must not count it twice."""
    assert tally(YUEHAI, FEBRUARY, "activities") == 1
    assert tally(NANSHAN, FEBRUARY, "activities") == 1
    assert tally(codes.ROOT_CODE, FEBRUARY, "person_times") == 1 + 11  # a session, the activity


def test_check_names_every_disagreement(year):
    assert recompute.check() == []
    Tally.objects.filter(region_code=YUEHAI, month=FEBRUARY, metric="activities").update(value=5)
    Tally.objects.filter(region_code=NANSHAN, metric="visits").delete()
    FiledCount.objects.create(region_code="440305001000", key="dibao", value=1)
    found = recompute.check()
    described = {(d.region_code, d.key[-1], d.stored, d.expected) for d in found}
    assert (YUEHAI, "activities", 5, 1) in described
    assert (NANSHAN, "visits", 0, 2) in described  # January's two
    assert (NANSHAN, "visits", 0, 1) in described  # March's one
    assert ("440305001000", "dibao", 1, 0) in described
    assert len(found) == 4


def test_the_check_command_exits_1_on_a_disagreement_and_recompute_repairs_it(year, capsys):
    call_command("statistics", "check")
    assert "every counter agrees" in capsys.readouterr().out
    FiledCount.objects.filter(region_code=NANSHAN, key="persons").update(value=40)
    with pytest.raises(CommandError) as raised:
        call_command("statistics", "check")
    assert "1 counters disagree" in str(raised.value)
    assert f"statistics_filedcount {NANSHAN} persons: stored 40, records say 2" in (
        capsys.readouterr().out
    )
    call_command("statistics", "recompute")
    assert "rebuilt" in capsys.readouterr().out
    call_command("statistics", "check")


digits = st.sampled_from("0000000123456789")
division_codes = st.lists(digits, min_size=12, max_size=12).map("".join)


@settings(max_examples=60, deadline=None)
@given(some=st.lists(division_codes, min_size=1, max_size=6))
def test_the_sql_roll_up_walks_each_codes_lineage(some):
    source = " UNION ALL ".join(
        "SELECT CAST(%s AS varchar(12)) AS code, 'k' AS key, 1 AS n" for _code in some
    )
    with connection.cursor() as cursor:
        cursor.execute(rollup.lineage_sql(source, ["key"]), some)
        rolled = {node: n for node, _key, n in cursor.fetchall()}
    expected = Counter(node for code in some for node in codes.lineage(code))
    assert rolled == dict(expected)
