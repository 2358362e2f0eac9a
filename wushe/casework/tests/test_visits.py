from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from conftest import NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.models import Action, AuditEntry
from wushe.casework.models import HomeVisit, VisitFrequency
from wushe.casework.selectors import overdue_visits
from wushe.casework.services import frequency_set, visit_record
from wushe.people.choices import Category
from wushe.people.identity import make_id_number
from wushe.people.services import resident_file
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db


def region(code):
    return Region.objects.get(code=code)


def file(actor, sequence, categories):
    return resident_file(
        actor=actor,
        name=f"居民{sequence}",
        id_number=make_id_number("440305", date(1950, 1, 1), sequence),
        region=region(YUEHAI_VILLAGE),
        categories=categories,
    )


def test_a_visit_is_recorded_with_its_findings_kept_out_of_the_log(yuehai_manager):
    resident = file(yuehai_manager, 11, [Category.EXTREME_POVERTY])
    visit = visit_record(
        actor=yuehai_manager,
        resident=resident,
        visited_on=timezone.localdate(),
        findings="独居，腿脚不便",
        next_visit_on=timezone.localdate() + timedelta(days=30),
    )
    assert list(visit.workers.all()) == [yuehai_manager]
    assert visit.region_code == YUEHAI_VILLAGE
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="casework.homevisit")
    assert "腿脚" not in repr(entry.changes)
    assert HomeVisit.objects.get().findings == "独居，腿脚不便"


def test_bad_visits_are_refused(yuehai_manager, shekou_worker, nanshan_auditor):
    resident = file(yuehai_manager, 12, [Category.SUBSISTENCE])
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        visit_record(actor=yuehai_manager, resident=resident, visited_on=tomorrow)
    assert "visited_on" in error.value.message_dict
    with pytest.raises(ValidationError):  # another street's worker cannot see the resident
        visit_record(actor=shekou_worker, resident=resident, visited_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        visit_record(actor=nanshan_auditor, resident=resident, visited_on=timezone.localdate())
    assert not HomeVisit.objects.exists()


def test_the_overdue_list_follows_category_frequencies(yuehai_manager, nanshan_admin):
    today = timezone.localdate() + timedelta(days=100)  # everyone filed today is due by then
    tekun = file(yuehai_manager, 13, [Category.EXTREME_POVERTY])  # monthly by default
    dibao = file(yuehai_manager, 14, [Category.SUBSISTENCE])  # quarterly
    file(yuehai_manager, 15, [Category.OTHER])  # no rule: never overdue
    visit_record(actor=yuehai_manager, resident=dibao, visited_on=timezone.localdate())
    rows = overdue_visits(user=yuehai_manager, region=region(YUEHAI), today=today)
    assert [row.resident for row in rows] == [tekun, dibao]
    assert rows[0].interval_days == 30 and rows[0].days_overdue(today) == 70
    # 南山区 visits 低保 households monthly: the nearer rule wins for its villages.
    frequency_set(
        actor=nanshan_admin, region=region(NANSHAN), category=Category.SUBSISTENCE, interval_days=30
    )
    rows = overdue_visits(user=yuehai_manager, region=region(YUEHAI), today=today)
    assert {row.resident: row.interval_days for row in rows} == {tekun: 30, dibao: 30}


def test_the_overdue_list_is_scoped(yuehai_manager, shekou_worker):
    file(yuehai_manager, 16, [Category.EXTREME_POVERTY])
    later = timezone.localdate() + timedelta(days=60)
    assert overdue_visits(user=shekou_worker, region=region(YUEHAI), today=later) == []
    assert len(overdue_visits(user=yuehai_manager, region=region(YUEHAI), today=later)) == 1


def test_only_supervisors_set_frequencies_and_only_in_their_subtree(
    yuehai_manager, shekou_worker, nanshan_auditor
):
    for actor in (shekou_worker, nanshan_auditor):
        with pytest.raises(PermissionDenied):
            frequency_set(
                actor=actor, region=region(SHEKOU), category=Category.SUBSISTENCE, interval_days=7
            )
    with pytest.raises(ValidationError) as error:
        frequency_set(
            actor=yuehai_manager,
            region=region(SHEKOU),
            category=Category.SUBSISTENCE,
            interval_days=7,
        )
    assert "region" in error.value.message_dict
    rule = frequency_set(
        actor=yuehai_manager, region=region(YUEHAI), category=Category.SUBSISTENCE, interval_days=7
    )
    assert rule.interval_days == 7
    assert not VisitFrequency.objects.filter(region_id=SHEKOU).exists()
