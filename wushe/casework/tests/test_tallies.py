"""The statistics tallies that the casework services move equal a count of the records made by
hand, after a sequence of recordings, corrections, deletions, openings and closings in two
streets and two months."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wushe.casework.case_services import case_advance, case_open, case_record_service
from wushe.casework.cases import Method
from wushe.casework.models import Case, CaseRecord, HomeVisit
from wushe.casework.services import visit_delete, visit_record, visit_update
from wushe.casework.tests.conftest import walk_to_intervention
from wushe.people.tests.filing import file_li, file_zhang
from wushe.regions import codes
from wushe.statistics.models import Tally
from wushe.statistics.tallies import month_of

pytestmark = pytest.mark.django_db

METRICS = ("visits", "cases_opened", "cases_closed", "case_records", "person_times")


def counted_by_hand() -> Counter:
    """Each metric as the statistics define it, from the records themselves."""
    found: Counter = Counter()

    def add(code: str, day, **metrics) -> None:
        for node in codes.lineage(code):
            for metric, n in metrics.items():
                found[(node, month_of(day), metric)] += n

    for visit in HomeVisit.objects.all():
        add(visit.region_code, visit.visited_on, visits=1, person_times=1)
    for case in Case.objects.all():
        add(case.region_code, case.opened_on, cases_opened=1)
        if case.closed_on:
            add(case.region_code, case.closed_on, cases_closed=1)
    for record in CaseRecord.objects.all():
        add(record.region_code, record.served_on, case_records=1, person_times=1)
    return +found  # without zeros


def tallied() -> Counter:
    rows = Tally.objects.filter(metric__in=METRICS).exclude(value=0)
    return Counter({(t.region_code, t.month, t.metric): t.value for t in rows})


def test_the_tallies_equal_a_hand_count_after_a_sequence_of_work(nanshan_admin, yuehai_manager):
    today = timezone.localdate()
    last_month = today - timedelta(days=40)
    zhang = file_zhang(yuehai_manager)
    li = file_li(nanshan_admin)

    first = visit_record(actor=yuehai_manager, resident=zhang, visited_on=today)
    second = visit_record(actor=nanshan_admin, resident=li, visited_on=last_month)
    third = visit_record(actor=nanshan_admin, resident=li, visited_on=today)
    visit_update(actor=yuehai_manager, visit=first, visited_on=last_month)  # moves a month
    visit_update(actor=nanshan_admin, visit=third, findings="只改了记录")  # moves nothing
    visit_delete(actor=nanshan_admin, visit=second)
    with pytest.raises(ValidationError):  # refused: nothing counted
        visit_record(actor=yuehai_manager, resident=zhang, visited_on=today + timedelta(days=1))

    case = case_open(actor=yuehai_manager, resident=zhang, problem="p", opened_on=last_month)
    other = case_open(actor=nanshan_admin, resident=li, problem="q")
    walk_to_intervention(yuehai_manager, case)
    for day in (last_month, today):
        case_record_service(
            actor=yuehai_manager, case=case, served_on=day, minutes=30, method=Method.PHONE
        )
    case_record_service(actor=nanshan_admin, case=other, served_on=today, minutes=10, method="face")
    case_advance(actor=yuehai_manager, case=case, evaluation="e")
    case_advance(actor=yuehai_manager, case=case, closing_summary="s")
    with pytest.raises(ValidationError):
        case_record_service(
            actor=yuehai_manager, case=case, served_on=today, minutes=5, method=Method.PHONE
        )

    assert tallied() == counted_by_hand()
    nanshan = "440305000000"
    assert tallied()[(nanshan, month_of(today), "cases_closed")] == 1
    person_times = sum(
        value
        for (code, _m, metric), value in tallied().items()
        if code == nanshan and metric == "person_times"
    )
    assert person_times == 2 + 3  # two visits left, three service records
