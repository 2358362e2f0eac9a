"""A matching run: from the tables to the solver and back, stored (or not, for a dry run)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wushe.audit.models import AuditEntry
from wushe.matching import task_services
from wushe.matching.choices import NeedStatus, ProposalStatus, UnmetReason, Urgency
from wushe.matching.models import MatchRun, Proposal, RegionPoint, UnmetNeed
from wushe.matching.run_services import match_run
from wushe.matching.solver import slot_bit
from wushe.matching.supply import effective_window
from wushe.matching.tests.sample import (
    DACHONG,
    DONGJIAOTOU,
    HOUHAI,
    KEJIYUAN,
    SHENDA,
    YUEHAI,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.regions.models import Region

pytestmark = pytest.mark.django_db
MONDAY_MORNING = slot_bit(0, 0)


@pytest.fixture
def world(yuehai_manager, yuehai_station):
    put_points()
    residents = [make_resident(yuehai_manager, f"居民{i}") for i in range(3)]
    return {"actor": yuehai_manager, "station": yuehai_station, "residents": residents}


def run(world, **kwargs):
    return match_run(
        actor=world["actor"],
        station=world["station"],
        today=timezone.localdate(),
        **kwargs,
    )


def test_it_proposes_the_nearest_volunteer_and_says_who_came_next(world):
    near = make_volunteer(world["actor"], "王近", KEJIYUAN)
    far = make_volunteer(world["actor"], "赵远", SHENDA)
    need = make_need(world["actor"], world["station"], world["residents"][0])
    result = run(world)
    (proposal,) = result.proposals
    assert proposal.need == need and proposal.volunteer == near
    assert proposal.distance_km == 0
    assert proposal.next_volunteer == far
    assert 1.3 < proposal.next_distance_km < 1.9
    assert result.run.met == 1 and result.run.unmet_count == 0
    assert Proposal.objects.filter(run=result.run).count() == 1
    assert AuditEntry.objects.filter(object_type="matching.matchrun").count() == 1


def test_a_dry_run_writes_nothing(world):
    make_volunteer(world["actor"], "王近", KEJIYUAN)
    make_need(world["actor"], world["station"], world["residents"][0])
    entries = AuditEntry.objects.count()
    result = run(world, dry_run=True)
    assert result.run is None and len(result.proposals) == 1
    assert not MatchRun.objects.exists() and not Proposal.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_urgent_needs_come_first_when_supply_is_short(world):
    make_volunteer(world["actor"], "王唯一", KEJIYUAN, capacity=1)
    normal = make_need(world["actor"], world["station"], world["residents"][0])
    urgent = make_need(
        world["actor"], world["station"], world["residents"][1], urgency=Urgency.URGENT
    )
    result = run(world)
    assert [p.need for p in result.proposals] == [urgent]
    (unmet,) = result.unmet
    assert unmet.need == normal and unmet.reason == UnmetReason.NO_CAPACITY
    assert result.run.met_urgent == 1


def test_unmet_needs_say_which_constraint_failed(world):
    actor, station, (a, b, c) = world["actor"], world["station"], world["residents"]
    make_volunteer(actor, "王晚上", HOUHAI, skills=("meals",), availability=slot_bit(2, 2))
    no_skill = make_need(actor, station, a, skills=("legal",))
    far = make_need(actor, station, b, region=KEJIYUAN, window=0)  # 2.7 km from 后海, radius 3
    no_time = make_need(actor, station, c, window=MONDAY_MORNING, region=HOUHAI)
    result = run(world)
    reasons = {row.need: row.reason for row in result.unmet}
    assert reasons[no_skill] == UnmetReason.NO_CANDIDATE_SKILL
    assert reasons[no_time] == UnmetReason.NO_TIME
    assert [p.need for p in result.proposals] == [far]
    assert UnmetNeed.objects.filter(run=result.run).count() == 2


def test_a_volunteer_beyond_their_radius_leaves_the_need_unmet_for_want_of_someone_nearby(
    world, nanshan_admin
):
    make_volunteer(nanshan_admin, "蛇口的人", DONGJIAOTOU, radius_km=2)
    need = make_need(world["actor"], world["station"], world["residents"][0])
    result = match_run(actor=nanshan_admin, station=world["station"], today=timezone.localdate())
    assert [(row.need, row.reason) for row in result.unmet] == [(need, UnmetReason.NO_SKILL_NEARBY)]


def test_a_place_with_no_known_position_is_unmet_and_said_so(world):
    make_volunteer(world["actor"], "王近", KEJIYUAN)
    need = make_need(world["actor"], world["station"], world["residents"][0], region=DACHONG)
    assert not RegionPoint.objects.filter(region_id=DACHONG).exists()
    # 大冲 has no point of its own: the township's stands in, so the need is still matched.
    assert run(world).proposals[0].need == need
    RegionPoint.objects.filter(region_id=YUEHAI).delete()
    result = run(world)
    assert [(row.need, row.reason) for row in result.unmet] == [(need, UnmetReason.NO_LOCATION)]


def test_a_need_with_its_own_coordinates_is_placed_by_them(world):
    make_volunteer(world["actor"], "王近", KEJIYUAN, radius_km=1)
    need = make_need(
        world["actor"],
        world["station"],
        world["residents"][0],
        latitude="22.490000",
        longitude="113.915000",  # 蛇口, far from 科技园, whatever the village says
    )
    result = run(world)
    assert [row.need for row in result.unmet] == [need]


def test_a_volunteer_already_busy_this_week_counts_as_loaded(world):
    actor, station, (a, b, c) = world["actor"], world["station"], world["residents"]
    busy = make_volunteer(actor, "王忙", KEJIYUAN, capacity=2)
    free = make_volunteer(actor, "赵闲", SHENDA, capacity=2)
    first = make_need(actor, station, a)
    proposal = run(world).proposals[0]
    assert proposal.volunteer == busy
    task_services.proposal_accept(actor=actor, proposal=proposal, today=timezone.localdate())
    assert first.__class__.objects.get(pk=first.pk).status == NeedStatus.MATCHED
    make_need(actor, station, b)
    make_need(actor, station, c)
    result = run(world)
    assert {p.volunteer for p in result.proposals} == {
        busy,
        free,
    }  # busy has one slot left
    assert max(p.load for p in result.proposals if p.volunteer == busy) == 2


def test_a_pair_once_rejected_is_not_proposed_again(world):
    first = make_volunteer(world["actor"], "王近", KEJIYUAN)
    second = make_volunteer(world["actor"], "赵远", SHENDA)
    make_need(world["actor"], world["station"], world["residents"][0])
    proposal = run(world).proposals[0]
    assert proposal.volunteer == first
    task_services.proposal_reject(actor=world["actor"], proposal=proposal)
    again = run(world).proposals
    assert [p.volunteer for p in again] == [second]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED


def test_a_need_only_one_volunteer_could_serve_and_who_declined_is_unmet_as_declined(
    world,
):
    actor = world["actor"]
    only = make_volunteer(actor, "王唯一", KEJIYUAN)
    need = make_need(actor, world["station"], world["residents"][0])
    task = task_services.proposal_accept(
        actor=actor, proposal=run(world).proposals[0], today=timezone.localdate()
    )
    task_services.task_decline(actor=actor, task=task)
    result = run(world)
    assert not result.proposals
    assert [(row.need, row.reason) for row in result.unmet] == [(need, UnmetReason.DECLINED)]
    assert only.pk not in {p.volunteer_id for p in result.proposals}


def test_a_county_run_takes_the_needs_of_every_station_in_sight(
    world, nanshan_admin, yuehai_manager
):
    make_volunteer(yuehai_manager, "王近", KEJIYUAN)
    make_need(yuehai_manager, world["station"], world["residents"][0])
    result = match_run(
        actor=nanshan_admin,
        county=Region.objects.get(code="440305000000"),
        today=timezone.localdate(),
    )
    assert result.run.region_code == "440305000000" and result.run.met == 1


def test_a_manager_cannot_run_the_county_or_another_station(world, futian_station):
    with pytest.raises(ValidationError):
        match_run(
            actor=world["actor"],
            county=Region.objects.get(code="440305000000"),
            today=timezone.localdate(),
        )
    with pytest.raises(ValidationError):
        match_run(actor=world["actor"], station=futian_station, today=timezone.localdate())
    assert not MatchRun.objects.exists()


def test_needs_outside_this_week_are_left_for_later(world):
    today = timezone.localdate()
    make_volunteer(world["actor"], "王近", KEJIYUAN)
    make_need(
        world["actor"], world["station"], world["residents"][0],
        date_from=today + timedelta(days=10),
    )  # fmt: skip
    result = run(world)
    assert result.summary.needs_count == 0


def test_a_window_is_narrowed_to_the_days_within_its_dates(world):
    today = timezone.localdate()
    need = make_need(
        world["actor"], world["station"], world["residents"][0],
        date_from=today, date_to=today,
    )  # fmt: skip
    assert effective_window(need, today) == 0b111 << (today.weekday() * 3)
    need.window = slot_bit((today.weekday() + 1) % 7, 0)
    assert effective_window(need, today) is None  # its slot falls after its last day
