"""One real object of each casework collection, for tests that walk every API endpoint (the
schema fuzzing in core/tests/test_api_schema.py points generated requests at them)."""

from __future__ import annotations

from django.utils import timezone

from wushe.casework.case_services import case_open
from wushe.casework.services import frequency_set, visit_record
from wushe.people.choices import Category


def casework_examples(actor, resident) -> dict[str, int]:
    """{collection name in the URL: id} for a visit, a case and a visit frequency."""
    today = timezone.localdate()
    visit = visit_record(actor=actor, resident=resident, visited_on=today, findings="良好")
    case = case_open(actor=actor, resident=resident, problem="需要照护")
    rule = frequency_set(
        actor=actor, region=resident.region, category=Category.ORPHAN, interval_days=30
    )
    return {"visits": visit.pk, "cases": case.pk, "visit-frequencies": rule.pk}
