"""A volunteer's own tasks (the portal at /volunteer/tasks/ and /api/volunteer/tasks/).

Read through the signed-in account's own volunteer record, never through a region scope: a
task of someone else is "not found". What a volunteer sees of the person served is the
minimum needed to serve (name, village, what is needed, a masked phone) — never the ID
number, never notes or the case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from wushe.audit.services import audit_view
from wushe.matching import selectors
from wushe.matching.models import Task
from wushe.people.phones import mask_phone
from wushe.volunteers import selectors as volunteer_selectors


def own_volunteer(user):
    """The volunteer record of a signed-in volunteer account, or None."""
    return volunteer_selectors.own_volunteer(user)


def own_tasks(user):
    return selectors.my_tasks(volunteer=own_volunteer(user))


def own_task_or_404(user, pk: int) -> Task:
    task = own_tasks(user).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task


def task_open(*, actor, task: Task) -> Task:
    """The volunteer opened their task, with the name and masked phone of the person served:
    recorded as a view, as staff opening a file is."""
    audit_view(actor=actor, obj=task, what="portal")
    return task


@dataclass(frozen=True)
class Served:
    """Whom a task serves, as the volunteer may see them."""

    name: str
    village: str
    phone: str  # masked, e.g. 138****5678; empty when none is on file


def served(task: Task) -> Served:
    need = task.need
    if need.resident_id:
        phone = need.resident.phone
        return Served(
            name=need.resident.name,
            village=need.region.name,
            phone=mask_phone(phone) if phone else "",
        )
    return Served(
        name=need.group.name if need.group_id else "",
        village=need.region.name,
        phone="",
    )
