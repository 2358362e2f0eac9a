"""From a proposal to a service done: accepting, hand edits within the hard constraints, the
volunteer's answer, and the hours on the ledger."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from wushe.audit.models import AuditEntry
from wushe.matching import task_services
from wushe.matching.choices import NeedStatus, ProposalStatus, TaskStatus
from wushe.matching.models import Need, Proposal, Task
from wushe.matching.run_services import match_run
from wushe.matching.solver import slot_bit
from wushe.matching.tests.sample import (
    DONGJIAOTOU,
    KEJIYUAN,
    SHENDA,
    make_need,
    make_resident,
    make_volunteer,
    put_points,
)
from wushe.volunteers.selectors import balance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(yuehai_manager, yuehai_station):
    put_points()
    actor = yuehai_manager
    wang = make_volunteer(actor, "王近", KEJIYUAN, username="vol_wang")
    zhang = make_resident(actor, "张秀英")
    need = make_need(actor, yuehai_station, zhang)
    result = match_run(actor=actor, station=yuehai_station, today=timezone.localdate())
    return {
        "actor": actor,
        "station": yuehai_station,
        "wang": wang,
        "need": need,
        "proposal": result.proposals[0],
    }


def accept(world) -> Task:
    return task_services.proposal_accept(
        actor=world["actor"], proposal=world["proposal"], today=timezone.localdate()
    )


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_accepting_a_proposal_offers_the_task_and_matches_the_need(world):
    task = accept(world)
    assert task.status == TaskStatus.OFFERED and task.volunteer == world["wang"]
    assert fresh(world["need"]).status == NeedStatus.MATCHED
    assert fresh(world["proposal"]).status == ProposalStatus.ACCEPTED
    assert AuditEntry.objects.filter(object_type="matching.task", object_id=str(task.pk)).exists()


def test_a_proposal_is_decided_once(world):
    accept(world)
    with pytest.raises(ValidationError) as caught:
        task_services.proposal_reject(actor=world["actor"], proposal=fresh(world["proposal"]))
    assert caught.value.error_dict["status"][0].code == "decided"


def test_the_volunteer_accepts_and_the_need_is_in_service(world):
    task = accept(world)
    task_services.task_accept(actor=world["wang"].user, task=task)
    assert fresh(task).status == TaskStatus.ACCEPTED and fresh(task).answered_at
    assert fresh(world["need"]).status == NeedStatus.IN_SERVICE


def test_another_volunteer_cannot_answer_the_task(world, yuehai_manager):
    other = make_volunteer(yuehai_manager, "赵某", SHENDA, username="vol_zhao")
    task = accept(world)
    with pytest.raises(ValidationError) as caught:
        task_services.task_accept(actor=other.user, task=task)
    assert caught.value.error_dict["task"][0].code == "not_found"
    assert fresh(task).status == TaskStatus.OFFERED


def test_a_decline_reopens_the_need_and_the_next_run_asks_someone_else(world, yuehai_manager):
    other = make_volunteer(yuehai_manager, "赵远", SHENDA)
    task = accept(world)
    task_services.task_decline(actor=world["wang"].user, task=task)
    assert fresh(task).status == TaskStatus.DECLINED
    assert fresh(world["need"]).status == NeedStatus.OPEN
    again = match_run(actor=world["actor"], station=world["station"], today=timezone.localdate())
    assert [p.volunteer for p in again.proposals] == [other]


def test_completion_adds_the_hours_and_points_to_the_ledger(world):
    task = accept(world)
    task_services.task_accept(actor=world["wang"].user, task=task)
    hours_before, points_before = balance(world["wang"])
    task_services.task_complete(
        actor=world["actor"],
        task=fresh(task),
        hours=Decimal("2.5"),
        served_on=timezone.localdate(),
        tier="basic",
    )
    hours, points = balance(world["wang"])
    assert hours - hours_before == Decimal("2.5")
    assert points > points_before
    done = fresh(task)
    assert done.status == TaskStatus.DONE and done.ledger_entry_id
    assert fresh(world["need"]).status == NeedStatus.DONE


def test_completion_refuses_bad_hours_and_writes_nothing(world):
    task = accept(world)
    task_services.task_accept(actor=world["wang"].user, task=task)
    for hours, day in (
        (Decimal(0), timezone.localdate()),
        (Decimal(25), timezone.localdate()),
        (Decimal(2), timezone.localdate() + timedelta(days=1)),
    ):
        with pytest.raises(ValidationError):
            task_services.task_complete(
                actor=world["actor"], task=fresh(task), hours=hours, served_on=day
            )
    assert fresh(task).status == TaskStatus.ACCEPTED
    assert balance(world["wang"]) == (0, 0)


def test_only_an_accepted_task_can_be_completed(world):
    task = accept(world)
    with pytest.raises(ValidationError) as caught:
        task_services.task_complete(
            actor=world["actor"],
            task=task,
            hours=Decimal(1),
            served_on=timezone.localdate(),
        )
    assert caught.value.error_dict["status"][0].code == "illegal_move"


def test_withdrawing_a_task_reopens_the_need(world):
    task = accept(world)
    task_services.task_withdraw(actor=world["actor"], task=task)
    assert fresh(task).status == TaskStatus.CANCELLED
    assert fresh(world["need"]).status == NeedStatus.OPEN


def test_cancelling_the_need_cancels_its_task(world):
    from wushe.matching.need_services import need_cancel

    task = accept(world)
    need_cancel(actor=world["actor"], need=fresh(world["need"]))
    assert fresh(task).status == TaskStatus.CANCELLED


# Hand edits ---------------------------------------------------------------------------------------


def edit(world, supplier):
    return task_services.proposal_edit(
        actor=world["actor"],
        proposal=fresh(world["proposal"]),
        supplier=supplier,
        today=timezone.localdate(),
    )


def refused_code(world, supplier) -> str:
    before = Proposal.objects.values().get(pk=world["proposal"].pk)
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        edit(world, supplier)
    assert Proposal.objects.values().get(pk=world["proposal"].pk) == before  # nothing written
    assert AuditEntry.objects.count() == entries
    (error,) = caught.value.error_dict["volunteer"]
    return error.code


def test_a_hand_edit_within_the_constraints_is_kept_and_the_solvers_choice_becomes_next(
    world, yuehai_manager
):
    other = make_volunteer(yuehai_manager, "赵远", SHENDA)
    proposal = edit(world, other)
    assert proposal.volunteer == other and proposal.edited
    assert proposal.next_volunteer == world["wang"]
    assert 1.3 < proposal.distance_km < 1.9


def test_a_hand_edit_to_someone_without_the_skill_is_refused(world, yuehai_manager):
    other = make_volunteer(yuehai_manager, "赵法律", KEJIYUAN, skills=("legal",))
    assert refused_code(world, other) == "skill"


def test_a_hand_edit_to_someone_with_no_time_in_the_window_is_refused(world, yuehai_manager):
    Need.objects.filter(pk=world["need"].pk).update(window=slot_bit(0, 0))
    other = make_volunteer(yuehai_manager, "赵晚上", KEJIYUAN, availability=slot_bit(0, 2))
    assert refused_code(world, other) == "time"


def test_a_hand_edit_beyond_the_volunteers_radius_is_refused(world, nanshan_admin):
    other = make_volunteer(nanshan_admin, "蛇口的人", DONGJIAOTOU, radius_km=3)
    world["actor"] = nanshan_admin
    assert refused_code(world, other) == "radius"


def test_a_hand_edit_to_a_volunteer_with_a_full_week_is_refused(
    world, yuehai_manager, yuehai_station
):
    full = make_volunteer(yuehai_manager, "赵满", SHENDA, capacity=1)
    other_need = make_need(yuehai_manager, yuehai_station, make_resident(yuehai_manager, "李"))
    proposal = Proposal.objects.create(
        run=world["proposal"].run,
        need=other_need,
        volunteer=full,
        cost=0,
        distance_km=0,
        region_code=other_need.region_id,
    )
    task_services.proposal_accept(
        actor=yuehai_manager, proposal=proposal, today=timezone.localdate()
    )
    assert refused_code(world, full) == "capacity"


def test_a_hand_edit_to_a_volunteer_outside_the_subtree_is_refused(world, nanshan_admin):
    other = make_volunteer(nanshan_admin, "蛇口的人", DONGJIAOTOU, radius_km=20)
    before = Proposal.objects.values().get(pk=world["proposal"].pk)
    with pytest.raises(ValidationError) as caught:
        edit(world, other)
    assert caught.value.error_dict["volunteer"][0].code == "not_found"
    assert Proposal.objects.values().get(pk=world["proposal"].pk) == before
