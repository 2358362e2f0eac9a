"""From a proposal to a service done: a worker accepts, rejects or changes a proposal; the
volunteer (or the station on their behalf) accepts or declines the task; the station confirms
it done with the hours served, which go to the volunteer's ledger (hours and points).

    proposal accepted  →  task offered,  need matched
    task accepted      →  need in service
    task declined      →  need open again (that volunteer is not proposed for it again)
    task withdrawn     →  need open again
    task done          →  need done, hours and points on the volunteer's ledger

Every step is checked (role, subtree, state), written in one transaction with its audit entry.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.accounts.models import User
from wushe.audit.models import Action
from wushe.audit.services import audit_record
from wushe.matching.choices import NeedStatus, ProposalStatus, TaskStatus
from wushe.matching.constraints import check_pair
from wushe.matching.models import Proposal, Task
from wushe.matching.need_services import check_move, check_writer, need_move, refusal
from wushe.matching.supply import key_of
from wushe.volunteers.choices import Tier
from wushe.volunteers.ledger_services import service_record
from wushe.volunteers.models import Volunteer

MAX_HOURS = Decimal(24)


def _check_visible(actor: User, obj, what: str) -> None:
    if not actor.can_see_code(obj.region_code):
        raise refusal(what, _("No such record."), "not_found")


def _check_proposed(proposal: Proposal) -> None:
    if proposal.status != ProposalStatus.PROPOSED:
        raise refusal("status", _("This proposal has already been decided."), "decided")


def _decide(actor: User, proposal: Proposal, status: str) -> None:
    proposal.status = status
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "decided_by", "decided_at"])


def _supplier_label(supplier) -> str | None:
    return None if supplier is None else "{}:{}".format(*key_of(supplier))


def _supplier_changes(before, after) -> dict:
    return {"supplier": [_supplier_label(before), _supplier_label(after)]}


def proposal_accept(*, actor: User, proposal: Proposal, today: date) -> Task:
    """采纳建议: the task is offered to the volunteer (or organisation), the need is matched.
    The hard constraints are checked again: the supplier's week may have filled since."""
    check_writer(actor)
    _check_visible(actor, proposal, "proposal")
    _check_proposed(proposal)
    need = proposal.need
    check_move(need, NeedStatus.MATCHED)
    check_pair(need, proposal.supplier, today=today)
    need.status = NeedStatus.MATCHED
    task = Task(
        need=need,
        volunteer=proposal.volunteer,
        offer=proposal.offer,
        proposal=proposal,
        region_code=need.region_id,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            need.save(update_fields=["status", "updated_at"])
            task.save()
            _decide(actor, proposal, ProposalStatus.ACCEPTED)
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=task,
                changes={
                    "need": [None, str(need.pk)],
                    **_supplier_changes(None, task.supplier),
                },
            )
    except IntegrityError:  # another worker gave the need to someone a moment ago
        raise refusal(
            "status", _("This need has just been given to someone else."), "taken"
        ) from None
    return task


def proposal_reject(*, actor: User, proposal: Proposal) -> Proposal:
    """否决建议: the need stays open; this supplier is not proposed for it again."""
    check_writer(actor)
    _check_visible(actor, proposal, "proposal")
    _check_proposed(proposal)
    with transaction.atomic():
        _decide(actor, proposal, ProposalStatus.REJECTED)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=proposal,
            changes={"status": [ProposalStatus.PROPOSED, ProposalStatus.REJECTED]},
        )
    return proposal


def proposal_edit(*, actor: User, proposal: Proposal, supplier, today: date) -> Proposal:
    """Give the proposal's need to another volunteer or organisation offer by hand. A choice
    that breaks a hard constraint is refused with the constraint named, nothing written. The
    solver's own choice becomes the next best."""
    check_writer(actor)
    _check_visible(actor, proposal, "proposal")
    _check_proposed(proposal)
    field = "volunteer" if isinstance(supplier, Volunteer) else "offer"
    visible = type(supplier).objects.visible_to(actor).filter(pk=supplier.pk).exists()
    if not visible:
        raise refusal(field, _("No such volunteer or organisation."), "not_found")
    if key_of(supplier) == key_of(proposal.supplier):
        return proposal
    waiting = Proposal.objects.filter(run=proposal.run_id, status=ProposalStatus.PROPOSED)
    waiting = waiting.exclude(pk=proposal.pk).filter(**{field: supplier})
    facts = check_pair(proposal.need, supplier, today=today, field=field, pending=waiting.count())
    before = proposal.supplier
    proposal.next_volunteer, proposal.next_offer = None, None
    setattr(proposal, f"next_{key_of(before)[0]}", before)
    proposal.next_cost, proposal.next_distance_km = proposal.cost, proposal.distance_km
    proposal.next_taken = False
    proposal.volunteer, proposal.offer = None, None
    setattr(proposal, field, supplier)
    proposal.cost, proposal.distance_km = facts.cost, facts.distance_km
    proposal.skill_fit, proposal.load, proposal.edited = (
        facts.skill_fit,
        facts.load,
        True,
    )
    with transaction.atomic():
        proposal.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=proposal,
            changes=_supplier_changes(before, supplier),
        )
    return proposal


def _check_answerer(actor: User, task: Task) -> None:
    """The task's own volunteer, or a worker of the station on their behalf."""
    if actor is not None and actor.is_volunteer:
        if task.volunteer_id is None or task.volunteer.user_id != actor.pk:
            raise refusal("task", _("No such record."), "not_found")
        return
    check_writer(actor)
    _check_visible(actor, task, "task")


def _check_status(task: Task, *allowed: str) -> None:
    if task.status not in allowed:
        raise refusal(
            "status",
            _("A task that is %(status)s cannot be changed so.")
            % {"status": TaskStatus(task.status).label},
            "illegal_move",
        )


def _move_task(actor: User, task: Task, status: str, need_status: str, **audit) -> Task:
    need = task.need
    old = task.status
    need_move(need, need_status)
    task.status = status
    with transaction.atomic():
        need.save(update_fields=["status", "updated_at"])
        task.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=task,
            changes={
                "status": [old, status],
                "need_status": [None, need_status],
                **audit,
            },
        )
    return task


def task_accept(*, actor: User, task: Task) -> Task:
    """The volunteer takes the task: the need is in service."""
    _check_answerer(actor, task)
    _check_status(task, TaskStatus.OFFERED)
    task.answered_at = timezone.now()
    return _move_task(actor, task, TaskStatus.ACCEPTED, NeedStatus.IN_SERVICE)


def task_decline(*, actor: User, task: Task) -> Task:
    """The volunteer declines: the need is open for the next run, without them."""
    _check_answerer(actor, task)
    _check_status(task, TaskStatus.OFFERED)
    task.answered_at = timezone.now()
    return _move_task(actor, task, TaskStatus.DECLINED, NeedStatus.OPEN)


def task_withdraw(*, actor: User, task: Task) -> Task:
    """The station takes the task back (the volunteer cannot go after all): need open."""
    check_writer(actor)
    _check_visible(actor, task, "task")
    _check_status(task, TaskStatus.OFFERED, TaskStatus.ACCEPTED)
    return _move_task(actor, task, TaskStatus.CANCELLED, NeedStatus.OPEN)


def _hours_errors(hours, served_on: date | None, task: Task) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if hours is None or not Decimal(0) < Decimal(hours) <= MAX_HOURS:
        errors["hours"] = [_("Between 0.1 and 24 hours.")]
    if served_on is None:
        errors["served_on"] = [_("Enter the day it was served.")]
    elif served_on > timezone.localdate():
        errors["served_on"] = [_("A service cannot be confirmed before it is given.")]
    elif served_on < task.offered_at.date():
        errors["served_on"] = [_("Served before the task was offered.")]
    return errors


def task_complete(*, actor: User, task: Task, hours, served_on: date, tier: str = "") -> Task:
    """确认完成: the station confirms the service with the hours served; the need is done and
    a volunteer's ledger gains the hours and the points its rules give."""
    check_writer(actor)
    _check_visible(actor, task, "task")
    _check_status(task, TaskStatus.ACCEPTED)
    if errors := _hours_errors(hours, served_on, task):
        raise ValidationError(errors)
    task.hours = Decimal(hours).quantize(Decimal("0.1"))
    task.served_on, task.tier = served_on, tier or Tier.BASIC
    task.completed_at, task.confirmed_by = timezone.now(), actor
    with transaction.atomic():
        if task.volunteer_id:
            entry = record_service(actor=actor, task=task)
            task.ledger_entry_id = entry.pk
        return _move_task(
            actor, task, TaskStatus.DONE, NeedStatus.DONE, hours=[None, str(task.hours)]
        )


def record_service(*, actor: User, task: Task):
    """The volunteers ledger's entry for the task's hours (``volunteers.ledger_services``),
    referenced ``task:<id>`` so one task is never counted twice."""
    need = task.need
    skills = "、".join(skill.name for skill in need.skills.all())
    return service_record(
        actor=actor,
        volunteer=task.volunteer,
        hours=task.hours,
        occurred_on=task.served_on,
        tier=task.tier or Tier.BASIC,
        content=(skills or need.get_service_area_display())[:200],
        task_ref=f"task:{task.pk}",
    )
