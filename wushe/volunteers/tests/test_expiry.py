"""Points expire after the region's period, oldest first, by entries the command writes."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from conftest import YUEHAI
from wushe.regions.models import Region
from wushe.volunteers import selectors
from wushe.volunteers.choices import EntryKind
from wushe.volunteers.expiry import points_expire
from wushe.volunteers.ledger_services import entry_correct, points_redeem, service_record
from wushe.volunteers.models import LedgerEntry
from wushe.volunteers.rule_services import points_rule_set
from wushe.volunteers.rules import months_before
from wushe.volunteers.tests.sample import register_wang

TODAY = date(2026, 6, 30)


@pytest.fixture
def wang(yuehai_manager):
    return register_wang(yuehai_manager)


def earn(actor, volunteer, hours, day):
    return service_record(
        actor=actor, volunteer=volunteer, hours=hours, occurred_on=day, content="探访"
    )


def expired(volunteer) -> list[int]:
    entries = LedgerEntry.objects.filter(volunteer=volunteer, kind=EntryKind.EXPIRED)
    return list(entries.order_by("id").values_list("points", flat=True))


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(date(2026, 6, 30), 24) == date(2024, 6, 30)
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 13) == date(2024, 12, 15)


def test_old_points_expire_oldest_first_and_only_once(yuehai_manager, wang):
    earn(yuehai_manager, wang, "3", date(2024, 1, 10))  # 30, old
    earn(yuehai_manager, wang, "2", date(2025, 1, 10))  # 20, recent
    points_redeem(actor=yuehai_manager, volunteer=wang, points=25, content="兑换")
    # The redemption took 25 of the old 30: 5 old points are left to expire.
    assert points_expire(today=TODAY) == 1
    assert expired(wang) == [-5]
    assert selectors.balance(wang)[1] == 20
    assert points_expire(today=TODAY) == 0
    assert expired(wang) == [-5]


def test_spending_takes_only_points_held_at_the_time(yuehai_manager, wang):
    earn(yuehai_manager, wang, "2", date(2025, 5, 1))  # 20, recent
    points_redeem(actor=yuehai_manager, volunteer=wang, points=20, content="兑换")
    earn(yuehai_manager, wang, "1", date(2024, 2, 1))  # 10, recorded late, already old
    points_expire(today=TODAY)
    assert expired(wang) == [-10]
    assert selectors.balance(wang)[1] == 0


def test_a_corrected_entry_neither_expires_nor_counts_as_spending(yuehai_manager, wang):
    old = earn(yuehai_manager, wang, "3", date(2024, 1, 10))
    redemption = points_redeem(actor=yuehai_manager, volunteer=wang, points=10, content="兑换")
    entry_correct(actor=yuehai_manager, entry=redemption, reason="未发放")
    points_expire(today=TODAY)
    assert expired(wang) == [-30]
    entry = LedgerEntry.objects.get(kind=EntryKind.EXPIRED)
    entry_correct(actor=yuehai_manager, entry=entry, reason="误过期")
    assert selectors.balance(wang)[1] == 30
    assert old.points == 30


def test_a_region_may_keep_points_forever_or_for_less(nanshan_admin, yuehai_manager, wang):
    yuehai = Region.objects.get(code=YUEHAI)
    earn(yuehai_manager, wang, "3", date(2024, 1, 10))
    points_rule_set(actor=yuehai_manager, region=yuehai, expiry_months=0)
    assert points_expire(today=TODAY) == 0
    points_rule_set(actor=yuehai_manager, region=yuehai, expiry_months=36)
    assert points_expire(today=TODAY) == 0
    points_rule_set(actor=yuehai_manager, region=yuehai, expiry_months=12)
    assert points_expire(today=TODAY) == 1


def test_an_administrator_expires_only_their_subtree(futian_admin, yuehai_manager, wang):
    earn(yuehai_manager, wang, "3", date(2024, 1, 10))
    assert points_expire(today=TODAY, actor=futian_admin) == 0
    assert expired(wang) == []


def test_the_command_expires_as_of_a_day_and_refuses_a_bad_one(yuehai_manager, wang):
    earn(yuehai_manager, wang, "3", date(2024, 1, 10))
    out = StringIO()
    call_command("volunteers", "expire-points", "--today", "2026-06-30", stdout=out)
    assert "1 expired" in out.getvalue()
    assert expired(wang) == [-30]
    assert LedgerEntry.objects.get(kind=EntryKind.EXPIRED).created_by is None
    for bad in ("2025-13-01", "tomorrow", "2999-01-01"):
        with pytest.raises(CommandError):
            call_command("volunteers", "expire-points", "--today", bad, stdout=StringIO())
