"""The volunteer's own tasks in their portal: the list, one task, accept or decline.

Only a volunteer account may open these pages (staff get 404, as for anything not theirs);
everything is read through their own volunteer record (``matching.portal``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.matching import portal, task_services
from wushe.matching.choices import TaskStatus


def _volunteer_only(request: HttpRequest) -> None:
    if not request.user.is_volunteer:
        raise Http404


@never_cache
@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    _volunteer_only(request)
    tasks = list(portal.own_tasks(request.user))
    for task in tasks:
        task.served = portal.served(task)
    context = {"tasks": tasks, "volunteer": portal.own_volunteer(request.user)}
    return render(request, "matching/portal_tasks.html", context)


@never_cache
@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _volunteer_only(request)
    task = portal.task_open(actor=request.user, task=portal.own_task_or_404(request.user, pk))
    context = {"task": task, "served": portal.served(task), "Status": TaskStatus}
    return render(request, "matching/portal_task.html", context)


@never_cache
@login_required
@require_POST
def task_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """接受 or 谢绝: accepting puts the need in service; declining sends it back to the station
    for another volunteer."""
    _volunteer_only(request)
    task = portal.own_task_or_404(request.user, pk)
    answer = request.POST.get("answer")
    try:
        if answer == "accept":
            task_services.task_accept(actor=request.user, task=task)
            messages.success(request, _("Thank you: the task is yours."))
        elif answer == "decline":
            task_services.task_decline(actor=request.user, task=task)
            messages.success(request, _("Declined: the station will ask someone else."))
        else:
            raise ValidationError(_("Choose accept or decline."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("matching_portal:task_detail", pk=pk)
