"""Random sequences of earning, honour hours, redeeming, correcting and expiring, against a
model kept by the test: the hours and points are always the sums of the entries, match the
model, and the points never go below zero."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wushe.core.sums import cents
from wushe.people.identity import make_id_number
from wushe.volunteers import selectors
from wushe.volunteers.choices import DEFAULT_CAP, DEFAULT_COEFFICIENTS, EntryKind, Tier
from wushe.volunteers.expiry import points_expire
from wushe.volunteers.ledger_services import (
    entry_correct,
    honour_hours,
    points_redeem,
    service_record,
)
from wushe.volunteers.models import LedgerEntry
from wushe.volunteers.rules import months_before
from wushe.volunteers.tests.sample import register_wang

SEQUENCE = itertools.count(100)
hours = st.decimals(min_value=0, max_value=24, places=1, allow_nan=False)
ops = st.one_of(
    st.tuples(st.just("earn"), hours, st.sampled_from(Tier.values), st.integers(0, 1500)),
    st.tuples(st.just("honour"), st.decimals(min_value="0.5", max_value=8, places=1)),
    st.tuples(st.just("redeem"), st.integers(1, 200)),
    st.tuples(st.just("correct"), st.integers(0, 1000)),
    st.tuples(st.just("expire")),
)


class Model:
    """What the ledger should hold: totals, and the standing earned lots and spendings in the
    order written, from which expiry is worked out afresh (oldest lots spent first)."""

    def __init__(self) -> None:
        self.hours = Decimal(0)
        self.points = 0
        self.standing: list[tuple[int, str, int, date]] = []  # (id, kind, points, day)
        self.corrected: set[int] = set()
        self.corrections: set[int] = set()

    def add(self, entry: LedgerEntry) -> None:
        self.hours += entry.hours
        self.points += entry.points
        if entry.kind == EntryKind.CORRECTION:
            self.corrections.add(entry.id)
            self.corrected.add(entry.reverses_id)
            self.standing = [row for row in self.standing if row[0] != entry.reverses_id]
        else:
            self.standing.append((entry.id, entry.kind, entry.points, entry.occurred_on))

    def due(self, cutoff: date) -> int:
        """Left of the lots dated before the cut-off after every spending took the oldest."""
        held: dict[int, list] = {}  # id -> [day, left]
        owed = 0
        for entry_id, kind, points, day in self.standing:
            if kind == EntryKind.EARNED and points:
                settled = min(owed, points)
                owed -= settled
                held[entry_id] = [day, points - settled]
            elif kind in (EntryKind.REDEEMED, EntryKind.EXPIRED):
                want = -points
                for key in sorted(held, key=lambda k: (held[k][0], k)):
                    take = min(want, held[key][1])
                    held[key][1] -= take
                    want -= take
                owed += want
        return sum(left for day, left in held.values() if day < cutoff)


def expected_points(hours: Decimal, tier: str) -> int:
    raw = (hours * 10 * DEFAULT_COEFFICIENTS[tier]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return min(int(raw), DEFAULT_CAP)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(ops, max_size=18))
def test_the_ledger_always_sums_and_never_goes_below_zero(nanshan_admin, steps):
    today = timezone.localdate()
    number = make_id_number("440305", date(1980, 1, 1), next(SEQUENCE) % 1000)
    volunteer = register_wang(nanshan_admin, id_number=number)
    model = Model()
    for step in steps:
        kind = step[0]
        if kind == "earn":
            _, amount, tier, back = step
            entry = service_record(
                actor=nanshan_admin,
                volunteer=volunteer,
                hours=amount,
                tier=tier,
                occurred_on=today - timedelta(days=back),
                content="服务",
            )
            assert entry.points == expected_points(amount, tier)
            model.add(entry)
        elif kind == "honour":
            entry = honour_hours(
                actor=nanshan_admin,
                volunteer=volunteer,
                hours=step[1],
                occurred_on=today,
                content="表彰",
            )
            model.add(entry)
        elif kind == "redeem":
            if step[1] > model.points:
                with pytest.raises(ValidationError):
                    points_redeem(
                        actor=nanshan_admin, volunteer=volunteer, points=step[1], content="兑换"
                    )
            else:
                model.add(
                    points_redeem(
                        actor=nanshan_admin, volunteer=volunteer, points=step[1], content="兑换"
                    )
                )
        elif kind == "correct":
            entries = list(LedgerEntry.objects.filter(volunteer=volunteer).order_by("id"))
            if not entries:
                continue
            target = entries[step[1] % len(entries)]
            refused = (
                target.id in model.corrections
                or target.id in model.corrected
                or model.points - target.points < 0
            )
            if refused:
                with pytest.raises(ValidationError):
                    entry_correct(actor=nanshan_admin, entry=target, reason="更正")
            else:
                model.add(entry_correct(actor=nanshan_admin, entry=target, reason="更正"))
        else:
            due = model.due(months_before(today, 24))
            points_expire(today=today)
            written = LedgerEntry.objects.filter(volunteer=volunteer, kind=EntryKind.EXPIRED)
            newest = written.order_by("-id").first()
            if due:
                assert newest is not None and newest.points == -due
                model.add(newest)
            assert model.due(months_before(today, 24)) == 0
        sums = LedgerEntry.objects.filter(volunteer=volunteer).aggregate(
            hours=Sum("hours"), points=Sum("points")
        )
        assert selectors.balance(volunteer) == (model.hours, model.points)
        # The database's own sum, to the cent (SQLite adds decimals as floats).
        raw = (cents(sums["hours"]), sums["points"] or 0)
        assert raw == (model.hours, model.points)
        assert model.points >= 0
