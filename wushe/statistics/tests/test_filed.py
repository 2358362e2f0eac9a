"""建档人数: filed residents per subtree, in all (each person once) and by category, exact
through filing, moves between villages and re-categorising, and after the import's COPY;
高龄 exact on any day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from conftest import FUTIAN, FUTIAN_TOWNSHIP, FUTIAN_VILLAGE, NANSHAN, SHEKOU, YUEHAI, make_user
from wushe.accounts.models import Role
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.people.importing import import_residents
from wushe.people.models import Resident
from wushe.people.services import resident_update
from wushe.people.tests.filing import file_li, file_zhang, village
from wushe.people.tests.import_sheets import (
    SHEKOU_VILLAGE,
    YUEHAI_VILLAGE_2,
    good_rows,
    person,
    write_xlsx,
)
from wushe.regions.codes import ROOT_CODE
from wushe.regions.models import Region
from wushe.statistics import filed, recompute
from wushe.statistics.models import FiledCount
from wushe.statistics.selectors import elderly_cutoff, statistics_for

pytestmark = pytest.mark.django_db

SHENZHEN = "440300000000"
MONTH = date(2026, 1, 1)


@pytest.fixture
def shenzhen_admin(db):
    return make_user("shenzhen_admin", SHENZHEN, Role.ADMIN)


def count(code: str, key: str = filed.PERSONS) -> int:
    row = FiledCount.objects.filter(region_code=code, key=key).first()
    return row.value if row else 0


def figures(user, code: str):
    region = Region.objects.get(code=code)
    return statistics_for(user=user, region=region, month_from=MONTH, month_to=MONTH)


def test_a_person_with_three_categories_counts_once_in_the_total(nanshan_admin):
    categories = [Category.SUBSISTENCE, Category.LIVING_ALONE, Category.EXTREME_POVERTY]
    file_zhang(nanshan_admin, categories=categories)
    stats = figures(nanshan_admin, NANSHAN)
    assert stats.persons == 1
    assert {k: v for k, v in stats.categories.items() if v} == dict.fromkeys(categories, 1)
    assert count(ROOT_CODE) == 1 and count(YUEHAI, Category.LIVING_ALONE) == 1


def test_a_move_between_townships_leaves_both_lineages_exact(shenzhen_admin):
    zhang = file_zhang(shenzhen_admin)
    file_li(shenzhen_admin)  # of 蛇口, to share the lineages
    assert (count(YUEHAI), count(SHEKOU), count(NANSHAN)) == (1, 1, 2)
    resident_update(actor=shenzhen_admin, resident=zhang, region=village(SHEKOU_VILLAGE))
    assert (count(YUEHAI), count(SHEKOU), count(NANSHAN), count(SHENZHEN)) == (0, 2, 2, 2)
    assert count(YUEHAI, Category.SUBSISTENCE) == 0 and count(SHEKOU, Category.SUBSISTENCE) == 1
    # Across counties: 南山区 loses the person, 福田区 gains them, 深圳市 still has two people.
    resident_update(actor=shenzhen_admin, resident=zhang, region=village(FUTIAN_VILLAGE))
    assert (count(SHEKOU), count(NANSHAN), count(FUTIAN_TOWNSHIP), count(FUTIAN)) == (1, 1, 1, 1)
    assert figures(shenzhen_admin, SHENZHEN).persons == 2
    assert figures(shenzhen_admin, FUTIAN).categories[Category.LIVING_ALONE] == 1
    assert recompute.check() == []


def test_a_stale_copy_of_a_file_still_moves_the_counters_from_where_it_is(shenzhen_admin):
    """Two pages opened on one file: the second save starts from what the first left."""
    zhang = file_zhang(shenzhen_admin)
    stale = Resident.objects.get(pk=zhang.pk)
    resident_update(actor=shenzhen_admin, resident=zhang, region=village(SHEKOU_VILLAGE))
    resident_update(actor=shenzhen_admin, resident=stale, region=village(FUTIAN_VILLAGE))
    assert (count(YUEHAI), count(SHEKOU), count(FUTIAN), count(SHENZHEN)) == (0, 0, 1, 1)
    assert recompute.check() == []


def test_re_categorising_moves_only_the_categories(nanshan_admin):
    zhang = file_zhang(nanshan_admin)  # 低保, 独居老人
    resident_update(
        actor=nanshan_admin, resident=zhang, categories=[Category.SUBSISTENCE, Category.OTHER]
    )
    assert count(NANSHAN) == 1
    assert count(NANSHAN, Category.LIVING_ALONE) == 0 and count(NANSHAN, Category.OTHER) == 1
    assert recompute.check() == []


def test_a_corrected_id_number_moves_the_birth_month(nanshan_admin):
    zhang = file_zhang(nanshan_admin)  # born 1940: 高龄
    assert figures(nanshan_admin, NANSHAN).elderly == 1
    young = make_id_number("440305", date(1990, 2, 3), "013")
    resident_update(actor=nanshan_admin, resident=zhang, id_number=young)
    assert figures(nanshan_admin, NANSHAN).elderly == 0
    assert recompute.check() == []


def test_elderly_turn_eighty_on_their_birthday_and_not_before(nanshan_admin, monkeypatch):
    today = timezone.localdate()
    birthday = elderly_cutoff(today)
    for sequence, born in enumerate([birthday, birthday + timedelta(days=1)]):
        file_zhang(
            nanshan_admin,
            name=f"长者{sequence}",
            id_number=make_id_number("440305", born, 100 + sequence),
            phone="",
        )
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: today)
    assert figures(nanshan_admin, NANSHAN).elderly == 1
    monkeypatch.setattr(
        "django.utils.timezone.localdate", lambda *a, **k: today + timedelta(days=1)
    )
    assert figures(nanshan_admin, NANSHAN).elderly == 2
    assert (
        figures(nanshan_admin, YUEHAI).elderly == 2 and figures(nanshan_admin, SHEKOU).elderly == 0
    )


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 12, 31)),
    today=st.dates(min_value=date(1990, 1, 1), max_value=date(2110, 12, 31)),
)
def test_the_cutoff_agrees_with_the_age_of_a_file_on_every_day(born, today):
    resident = Resident(birth_date=born)
    assert (born <= elderly_cutoff(today)) == resident.is_elderly(today)


def test_a_leap_day_birth_turns_eighty_on_the_first_of_march_of_a_common_year():
    born = date(2020, 2, 29)
    assert not born <= elderly_cutoff(date(2100, 2, 28))
    assert born <= elderly_cutoff(date(2100, 3, 1))


def test_the_import_leaves_the_counters_exact_for_new_and_moved_files(yuehai_manager, tmp_path):
    other = make_id_number("440305", date(1970, 1, 1), "777")
    file_li(make_user("nanshan_other", NANSHAN, Role.ADMIN), id_number=other)  # of 蛇口
    result = import_residents(
        actor=yuehai_manager, source=write_xlsx(tmp_path / "a.xlsx", good_rows())
    )
    assert result.ok and result.created == 3
    assert count(YUEHAI) == 3 and count(NANSHAN) == 4 and count(ROOT_CODE) == 4
    assert count(YUEHAI, Category.EXTREME_POVERTY) == 1
    assert recompute.check() == []
    # A second sheet moves 张三丰 to another village of 粤海 and changes his categories.
    rows = good_rows()
    rows[0] = person("张三丰", rows[0][2], 困难类别="特困", **{"村(社区)代码": YUEHAI_VILLAGE_2})
    result = import_residents(actor=yuehai_manager, source=write_xlsx(tmp_path / "b.xlsx", rows))
    assert result.ok and result.updated == 1
    assert count(YUEHAI_VILLAGE_2) == 1 and count(YUEHAI) == 3 and count(NANSHAN) == 4
    assert count(NANSHAN, Category.EXTREME_POVERTY) == 2
    assert count(NANSHAN, Category.SUBSISTENCE) == 0
    assert recompute.check() == []


def test_a_recount_of_a_subtree_repairs_it_and_moves_the_nodes_above(nanshan_admin):
    file_zhang(nanshan_admin)
    file_li(nanshan_admin)
    FiledCount.objects.filter(region_code__in=[YUEHAI, NANSHAN, ROOT_CODE]).update(value=9)
    filed.recount(Region.objects.get(code=NANSHAN).subtree_range)
    assert (count(YUEHAI), count(NANSHAN)) == (1, 2)
    # Above the subtree, only what the subtree's own node changed (9 → 2) is moved: 9 - 7.
    assert count(ROOT_CODE) == 2
