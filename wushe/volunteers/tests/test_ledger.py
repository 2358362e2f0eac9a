"""The hours and points ledger: points by the rule in force, capped per source; redemptions
never above the balance; corrections by reversing entries; never edited or deleted."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from conftest import NANSHAN, YUEHAI
from wushe.charity.ledger import AppendOnlyError
from wushe.regions.models import Region
from wushe.volunteers import selectors
from wushe.volunteers.choices import EntryKind, Tier
from wushe.volunteers.ledger_services import (
    entry_correct,
    honour_hours,
    points_redeem,
    service_record,
)
from wushe.volunteers.models import LedgerEntry
from wushe.volunteers.rule_services import points_rule_set
from wushe.volunteers.tests.sample import register_wang

DAY = date(2026, 1, 10)


@pytest.fixture
def wang(yuehai_manager):
    return register_wang(yuehai_manager)


def record(actor, volunteer, hours, tier=Tier.BASIC, **extra):
    values = {"occurred_on": DAY, "content": "陪伴探访", **extra}
    return service_record(actor=actor, volunteer=volunteer, hours=hours, tier=tier, **values)


def test_points_are_hours_times_rate_times_the_tiers_coefficient(yuehai_manager, wang):
    assert record(yuehai_manager, wang, "2").points == 20
    assert record(yuehai_manager, wang, "1.5", Tier.SKILLED).points == 23  # 22.5 rounds up
    assert record(yuehai_manager, wang, "3", Tier.HIGH_RISK).points == 75
    assert record(yuehai_manager, wang, "0").points == 0
    assert selectors.balance(wang) == (Decimal("6.5"), 118)


def test_the_nearest_rule_up_the_tree_applies(nanshan_admin, yuehai_manager, wang):
    points_rule_set(
        actor=nanshan_admin, region=Region.objects.get(code=NANSHAN), points_per_hour=20
    )
    assert record(yuehai_manager, wang, "1").points == 20
    points_rule_set(
        actor=yuehai_manager,
        region=Region.objects.get(code=YUEHAI),
        points_per_hour=5,
        coefficient_basic=Decimal("2"),
    )
    assert record(yuehai_manager, wang, "1").points == 10


def test_points_are_capped_per_entry_per_activity_and_per_task(
    yuehai_manager, yuehai_station, wang
):
    assert record(yuehai_manager, wang, "10", Tier.PROFESSIONAL).points == 80
    assert record(yuehai_manager, wang, "5", task_ref="task:7").points == 50
    assert record(yuehai_manager, wang, "5", task_ref="task:8").points == 50
    with pytest.raises(ValidationError) as twice:
        record(yuehai_manager, wang, "5", task_ref="task:7")
    assert twice.value.error_dict["task_ref"][0].code == "already_recorded"
    from wushe.groups.tests.sample import make_activity

    activity = make_activity(yuehai_manager, yuehai_station)
    first = record(yuehai_manager, wang, "6", activity=activity, content="")
    assert first.points == 60 and first.content == "防诈骗讲座"  # the activity's theme
    second = record(yuehai_manager, wang, "6", activity=activity)
    assert second.points == 20  # 80 for the activity in all


def test_a_corrected_task_can_be_recorded_again(nanshan_admin, yuehai_manager, wang):
    first = record(yuehai_manager, wang, "2", task_ref="task:9")
    entry_correct(actor=yuehai_manager, entry=first, reason="wrong hours")
    again = record(yuehai_manager, wang, "3", task_ref="task:9")
    assert again.points == 30
    assert selectors.balance(wang) == (Decimal("3"), 30)


def test_bad_input_is_refused_with_field_errors_and_nothing_is_written(yuehai_manager, wang):
    cases = [
        ({"hours": "-1"}, "hours"),
        ({"hours": "25"}, "hours"),
        ({"hours": "1.234"}, "hours"),
        ({"hours": "abc"}, "hours"),
        ({"hours": "NaN"}, "hours"),
        ({"tier": "heroic"}, "tier"),
        ({"occurred_on": timezone.localdate() + timedelta(days=1)}, "occurred_on"),
        ({"occurred_on": "2026-01-01"}, "occurred_on"),
        ({"content": ""}, "content"),
        ({"task_ref": "x" * 65}, "task_ref"),
    ]
    for change, field in cases:
        values = {"hours": "1", "tier": Tier.BASIC, "occurred_on": DAY, "content": "探访"}
        values.update(change)
        with pytest.raises(ValidationError) as error:
            service_record(actor=yuehai_manager, volunteer=wang, **values)
        assert field in error.value.error_dict, change
    assert not LedgerEntry.objects.exists()


def test_a_redemption_above_the_balance_is_refused_and_writes_nothing(yuehai_manager, wang):
    record(yuehai_manager, wang, "3")
    with pytest.raises(ValidationError) as error:
        points_redeem(actor=yuehai_manager, volunteer=wang, points=31, content="兑换大米")
    assert error.value.error_dict["points"][0].code == "insufficient"
    assert "30" in str(error.value)
    for bad in (0, -5, "1.5", "many", True):
        with pytest.raises(ValidationError):
            points_redeem(actor=yuehai_manager, volunteer=wang, points=bad, content="兑换")
    assert LedgerEntry.objects.count() == 1
    points_redeem(actor=yuehai_manager, volunteer=wang, points=30, content="兑换大米")
    assert selectors.balance(wang) == (Decimal("3"), 0)


def test_honour_hours_are_an_administrators_and_earn_no_points(nanshan_admin, yuehai_manager, wang):
    with pytest.raises(PermissionDenied):
        honour_hours(
            actor=yuehai_manager, volunteer=wang, hours="5", occurred_on=DAY, content="表彰"
        )
    entry = honour_hours(
        actor=nanshan_admin, volunteer=wang, hours="5", occurred_on=DAY, content="表彰"
    )
    assert entry.kind == EntryKind.HONOUR and entry.points == 0
    assert selectors.volunteer_summary(wang).hours == 5


def test_a_correction_reverses_once_and_never_a_correction(yuehai_manager, shekou_worker, wang):
    entry = record(yuehai_manager, wang, "2")
    with pytest.raises(PermissionDenied):
        entry_correct(actor=shekou_worker, entry=entry, reason="x")
    with pytest.raises(ValidationError):
        entry_correct(actor=yuehai_manager, entry=entry, reason="  ")
    correction = entry_correct(actor=yuehai_manager, entry=entry, reason="录错")
    assert (correction.hours, correction.points, correction.reverses) == (-2, -20, entry)
    with pytest.raises(ValidationError) as twice:
        entry_correct(actor=yuehai_manager, entry=entry, reason="again")
    assert twice.value.error_dict["entry"][0].code == "already_corrected"
    with pytest.raises(ValidationError) as nested:
        entry_correct(actor=yuehai_manager, entry=correction, reason="undo")
    assert nested.value.error_dict["entry"][0].code == "correction"
    assert selectors.balance(wang) == (0, 0)


def test_spent_points_cannot_be_corrected_away(yuehai_manager, wang):
    earned = record(yuehai_manager, wang, "2")
    redemption = points_redeem(actor=yuehai_manager, volunteer=wang, points=15, content="兑换")
    with pytest.raises(ValidationError) as error:
        entry_correct(actor=yuehai_manager, entry=earned, reason="wrong")
    assert error.value.error_dict["entry"][0].code == "insufficient"
    entry_correct(actor=yuehai_manager, entry=redemption, reason="not given")
    entry_correct(actor=yuehai_manager, entry=earned, reason="wrong")
    assert selectors.balance(wang) == (0, 0)


def test_an_entry_is_never_changed_or_deleted(yuehai_manager, wang):
    entry = record(yuehai_manager, wang, "2")
    entry.points = 999
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).update(points=999)
    with pytest.raises(AppendOnlyError):
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.points == 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_the_database_refuses_updates_and_deletes_of_entries(yuehai_manager, wang):
    from django.db import DatabaseError

    entry = record(yuehai_manager, wang, "2")
    for sql in (
        "UPDATE volunteers_ledgerentry SET points = 999 WHERE id = %s",
        "DELETE FROM volunteers_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    entry.refresh_from_db()
    assert entry.points == 20


def test_an_auditor_or_an_outsider_writes_nothing(nanshan_auditor, futian_admin, wang):
    with pytest.raises(PermissionDenied):
        record(nanshan_auditor, wang, "1")
    with pytest.raises(ValidationError) as error:
        record(futian_admin, wang, "1")
    assert error.value.error_dict["volunteer"][0].code == "not_found"
    assert not LedgerEntry.objects.exists()


def test_an_activity_with_service_recorded_can_still_be_deleted(
    client, yuehai_manager, yuehai_station, wang
):
    from wushe.activities.services import activity_delete
    from wushe.groups.tests.sample import make_activity

    activity = make_activity(yuehai_manager, yuehai_station)
    entry = record(yuehai_manager, wang, "2", activity=activity, content="讲座志愿")
    deleted = activity.pk
    activity_delete(actor=yuehai_manager, activity=activity)
    entry.refresh_from_db()
    assert entry.activity_id == deleted and entry.content == "讲座志愿"
    correction = entry_correct(actor=yuehai_manager, entry=entry, reason="x")
    assert correction.activity_id == deleted
    client.force_login(yuehai_manager)
    assert "讲座志愿" in client.get(f"/volunteers/{wang.pk}/").content.decode()


def test_hours_sum_to_the_cent_on_every_database(yuehai_manager, wang):
    # SQLite adds decimal columns as floats: 0.1 + 0.2 reversed came to -5.55e-17 hours there.
    first = record(yuehai_manager, wang, Decimal("0.1"))
    second = record(yuehai_manager, wang, Decimal("0.2"), task_ref="second")
    entry_correct(actor=yuehai_manager, entry=first, reason="更正")
    entry_correct(actor=yuehai_manager, entry=second, reason="更正")
    record(yuehai_manager, wang, Decimal("0.7"), task_ref="third")
    hours, _points = selectors.balance(wang)
    assert hours == Decimal("0.70") and str(hours) == "0.70"
    assert selectors.volunteer_counts(yuehai_manager.scope_range)["hours"] == Decimal("0.70")
