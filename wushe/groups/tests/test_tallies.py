"""After any sequence of group-work services, the statistics tallies equal what the records
say, counted by hand: each group once in the month it started, each session once in the month
it was held, and one person-time per member present."""

import random
from collections import Counter
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from conftest import SHEKOU, make_site
from wushe.groups.models import Group, GroupMember, GroupSession
from wushe.groups.services import group_delete, group_update, member_add, member_remove
from wushe.groups.session_services import session_delete, session_record, session_update
from wushe.groups.tests.sample import SHEKOU_VILLAGE, file_resident, make_group
from wushe.regions import codes
from wushe.regions.choices import SiteKind
from wushe.statistics.models import Tally

pytestmark = pytest.mark.django_db

FIRST_DAY = date(2026, 1, 5)


def counted_by_hand() -> Counter:
    expected: Counter = Counter()

    def add(code: str, day: date, metric: str, value: int) -> None:
        for node in codes.lineage(code):
            expected[(node, day.replace(day=1), metric)] += value

    for group in Group.objects.all():
        add(group.region_code, group.started_on, "groups", 1)
    for session in GroupSession.objects.all():
        add(session.region_code, session.held_on, "group_sessions", 1)
        add(session.region_code, session.held_on, "person_times", session.attendees.count())
    return +expected  # drops the zeros


def tallied() -> Counter:
    rows = Tally.objects.exclude(value=0)
    return Counter({(row.region_code, row.month, row.metric): row.value for row in rows})


def some_day(rng: random.Random, after: date) -> date:
    return after + timedelta(days=rng.randrange(0, 200))


class Script:
    """Random service calls; the refused ones (a rule broken by chance) must leave no trace."""

    def __init__(self, rng: random.Random, actor, stations, residents) -> None:
        self.rng, self.actor, self.stations, self.residents = rng, actor, stations, residents

    def pick(self, queryset):
        rows = list(queryset)
        return self.rng.choice(rows) if rows else None

    def new_group(self) -> None:
        started = FIRST_DAY + timedelta(days=self.rng.randrange(0, 60))
        make_group(self.actor, self.rng.choice(self.stations), started_on=started)

    def join(self) -> None:
        group = self.pick(Group.objects.all())
        if group:
            resident = self.rng.choice(self.residents)
            member_add(actor=self.actor, group=group, resident=resident, joined_on=FIRST_DAY)

    def session(self) -> None:
        group = self.pick(Group.objects.all())
        if group:
            members = list(group.members.all())
            present = self.rng.sample(members, self.rng.randint(0, len(members)))
            held_on = some_day(self.rng, group.started_on)
            session_record(
                actor=self.actor, group=group, held_on=held_on, topic="节", attendees=present
            )

    def change_session(self) -> None:
        session = self.pick(GroupSession.objects.all())
        if session:
            members = list(session.group.members.all())
            present = self.rng.sample(members, self.rng.randint(0, len(members)))
            held_on = some_day(self.rng, session.group.started_on)
            session_update(actor=self.actor, session=session, held_on=held_on, attendees=present)

    def drop_session(self) -> None:
        session = self.pick(GroupSession.objects.all())
        if session:
            session_delete(actor=self.actor, session=session)

    def change_group(self) -> None:
        group = self.pick(Group.objects.all())
        if group:
            started = FIRST_DAY + timedelta(days=self.rng.randrange(0, 90))
            station = self.rng.choice(self.stations)
            group_update(actor=self.actor, group=group, started_on=started, station=station)

    def leave(self) -> None:
        member = self.pick(GroupMember.objects.all())
        if member:
            member_remove(actor=self.actor, member=member, left_on=some_day(self.rng, FIRST_DAY))

    def drop_group(self) -> None:
        group = self.pick(Group.objects.all())
        if group:
            group_delete(actor=self.actor, group=group)

    def run(self, steps: int) -> int:
        weights = {
            self.new_group: 3,
            self.join: 5,
            self.session: 6,
            self.change_session: 2,
            self.drop_session: 1,
            self.change_group: 2,
            self.leave: 1,
            self.drop_group: 1,
        }
        moves = [move for move, weight in weights.items() for _copy in range(weight)]
        refused = 0
        for _step in range(steps):
            try:
                self.rng.choice(moves)()
            except ValidationError:
                refused += 1
        return refused


@pytest.mark.parametrize("seed", [3, 2026])
def test_the_tallies_equal_the_records_after_any_sequence_of_changes(
    seed, nanshan_admin, yuehai_station, yuehai_room
):
    shekou = make_site(SHEKOU, SiteKind.STATION, "蛇口街道社工站")
    residents = [file_resident(nanshan_admin, n) for n in range(1, 5)]
    residents.append(file_resident(nanshan_admin, 5, SHEKOU_VILLAGE))
    script = Script(
        random.Random(seed), nanshan_admin, [yuehai_station, yuehai_room, shekou], residents
    )
    script.new_group()
    refused = script.run(120)
    assert GroupSession.objects.exists() and Group.objects.exists()
    assert refused < 60, refused
    assert Group.objects.count() > 1 and GroupMember.objects.count() > 3
    assert tallied() == counted_by_hand()
