import pytest
from django.db import connection

from conftest import NANSHAN, YUEHAI
from wushe.regions import loader
from wushe.regions.codes import ROOT_CODE, Level
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def test_it_loads_nanshan_with_its_ancestors():
    nanshan = Region.objects.get(code=NANSHAN)
    assert nanshan.name == "南山区"
    assert nanshan.level == Level.COUNTY
    assert nanshan.parent_id == "440300000000"
    assert Region.objects.get(code="440300000000").parent_id == "440000000000"
    assert Region.objects.get(code="440000000000").parent_id == ROOT_CODE


def test_it_counts_nine_streets_and_108_communities_under_nanshan():
    nanshan = Region.objects.get(code=NANSHAN)
    assert Region.objects.within(nanshan.subtree_range).filter(level=Level.TOWNSHIP).count() == 9
    assert Region.objects.within(nanshan.subtree_range).filter(level=Level.VILLAGE).count() == 108
    assert (nanshan.township_count, nanshan.village_count) == (9, 108)


def test_a_second_run_changes_nothing():
    result = loader.load(loader.read_rows("440305"))
    assert (result.created, result.updated) == (0, 0)
    assert result.unchanged == result.total > 100


def test_a_changed_name_is_updated():
    Region.objects.filter(code=YUEHAI).update(name="旧名")
    result = loader.load(loader.read_rows("440305"))
    assert result.updated == 1
    assert Region.objects.get(code=YUEHAI).name == "粤海街道"


def test_the_ancestors_counts_grow_when_a_second_county_is_loaded():
    before = Region.objects.get(code="440300000000").township_count
    loader.load(loader.read_rows("440306"))  # 宝安区
    after = Region.objects.get(code="440300000000")
    assert after.township_count > before
    assert (
        after.township_count
        == Region.objects.within(after.subtree_range).filter(level=Level.TOWNSHIP).count()
    )


def test_a_failed_load_leaves_the_tree_intact():
    count = Region.objects.count()
    rows = list(loader.read_rows("440305"))
    broken = [*rows, ("440305999999", "孤儿", Level.VILLAGE, "440305999000")]
    with pytest.raises(Exception, match="440305999000"):
        loader.load(iter(broken))
    assert Region.objects.count() == count


def test_a_city_without_counties_hangs_its_townships_from_the_city():
    rows = {row[0]: row for row in loader.read_rows("4419")}
    dongguan = rows["441900000000"]
    assert dongguan[2] == Level.CITY
    assert rows["441900003000"][3] == "441900000000"


def test_subtree_queries_are_one_indexed_range_query(django_assert_num_queries):
    nanshan = Region.objects.get(code=NANSHAN)
    with django_assert_num_queries(1) as captured:
        list(Region.objects.within(nanshan.subtree_range).filter(level=Level.VILLAGE))
    sql = captured.captured_queries[0]["sql"]
    assert ">=" in sql and "<=" in sql and "LIKE" not in sql.upper()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT code FROM regions_region WHERE code >= %s AND code <= %s",
                nanshan.subtree_range,
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
        assert "Index" in plan


def test_a_subtree_counts_its_own_root():
    assert Region.objects.get(code=YUEHAI).township_count == 1
    village = Region.objects.get(code="440305007003")
    assert (village.township_count, village.village_count) == (0, 1)
