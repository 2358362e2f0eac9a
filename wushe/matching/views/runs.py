"""Matching (供需对接) pages: run it for a station, the proposals with why and next best, accept,
reject or change each; the unmet needs with the constraint that failed; the tasks, answered on
a volunteer's behalf, withdrawn or confirmed done with the hours served."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.matching import run_services, selectors, task_services
from wushe.matching.choices import TaskStatus
from wushe.matching.describe import next_best, remedy, why
from wushe.matching.filtersets import TaskFilterSet
from wushe.matching.forms import CompleteForm, RunForm, SupplierChoiceForm
from wushe.matching.models import Proposal, Task
from wushe.matching.supply import matchable_volunteers
from wushe.matching.views.common import can_write, require_writer, status_of
from wushe.regions.codes import Level, subtree_range
from wushe.volunteers.choices import Tier

RUN, PROPOSAL, TASK = "matching.matchrun", "matching.proposal", "matching.task"


@login_required
@require_GET
def run_list(request: HttpRequest) -> HttpResponse:
    context = {
        "page": paginate(request, selectors.run_list(user=request.user)),
        "form": RunForm(user=request.user),
        "can_write": can_write(request.user),
    }
    return render(request, "matching/run_list.html", context)


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    """运行对接 for a station or a county: the run is stored and its page shown."""
    require_writer(request, Action.CREATE, RUN)
    form = RunForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            result = run_services.match_run(
                actor=request.user,
                station=form.cleaned_data["station"],
                county=form.cleaned_data.get("county"),
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("matching:run_detail", pk=result.run.pk)
    context = {
        "page": paginate(request, selectors.run_list(user=request.user)),
        "form": form,
        "can_write": True,
    }
    return render(request, "matching/run_list.html", context, status=400)


def _with_words(proposals) -> list[Proposal]:
    rows = list(proposals)
    for proposal in rows:
        proposal.why = why(proposal)
        proposal.next_best_text = next_best(proposal)
    return rows


@never_cache
@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = visible_or_404(request, selectors.run_list(user=request.user), Action.VIEW, pk=pk)
    unmet = list(selectors.run_unmet(user=request.user, run=run))
    for row in unmet:
        row.remedy = remedy(row)
    context = {
        "run": run,
        "proposals": _with_words(selectors.run_proposals(user=request.user, run=run)),
        "unmet": unmet,
        "can_write": can_write(request.user),
    }
    return render(request, "matching/run_detail.html", context)


def _visible_proposal(request: HttpRequest, pk: int, action: str) -> Proposal:
    proposals = Proposal.objects.visible_to(request.user).select_related(
        "need", "volunteer", "offer__station", "run"
    )
    return visible_or_404(request, proposals, action, pk=pk)


def _decide(request: HttpRequest, pk: int, accept: bool) -> HttpResponse:
    proposal = _visible_proposal(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, PROPOSAL, pk)
    try:
        if accept:
            task_services.proposal_accept(
                actor=request.user, proposal=proposal, today=timezone.localdate()
            )
        else:
            task_services.proposal_reject(actor=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("Proposal accepted: the task is offered.") if accept else _("Proposal rejected.")
        messages.success(request, done)
    return redirect("matching:run_detail", pk=proposal.run_id)


@login_required
@require_POST
def proposal_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=True)


@login_required
@require_POST
def proposal_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, accept=False)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose another volunteer or organisation by hand; a choice that breaks a hard
    constraint is refused beside the field with the constraint named."""
    proposal = _visible_proposal(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, PROPOSAL, pk)
    county = subtree_range(proposal.region_code, Level.COUNTY)
    volunteers = matchable_volunteers(user=request.user).within(county)
    offers = selectors.offer_list(user=request.user).filter(active=True)
    data = request.POST if request.method == "POST" else None
    form = SupplierChoiceForm(data, volunteers=volunteers, offers=offers)
    if form.is_bound and form.is_valid():
        try:
            task_services.proposal_edit(
                actor=request.user,
                proposal=proposal,
                supplier=form.supplier(),
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Proposal changed."))
            return redirect("matching:run_detail", pk=proposal.run_id)
    context = {"proposal": proposal, "form": form}
    return render(request, "matching/proposal_edit.html", context, status=status_of(form))


# Tasks --------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = selectors.task_list(user=request.user)
    filterset = TaskFilterSet(request.GET or None, queryset=tasks)
    valid = not filterset.is_bound or filterset.is_valid()
    context = {
        "filterset": filterset,
        "page": paginate(request, filterset.qs if valid else []),
    }
    return render(request, "matching/task_list.html", context, status=200 if valid else 400)


def _visible_task(request: HttpRequest, pk: int, action: str) -> Task:
    return visible_or_404(request, selectors.task_list(user=request.user), action, pk=pk)


def _render_task(request, task: Task, form=None) -> HttpResponse:
    form = form or CompleteForm(tiers=Tier.choices, initial={"served_on": timezone.localdate()})
    context = {
        "task": task,
        "form": form,
        "can_write": can_write(request.user),
        "Status": TaskStatus,
    }
    return render(request, "matching/task_detail.html", context, status=status_of(form))


@never_cache
@login_required
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_task(request, _visible_task(request, pk, Action.VIEW))


@login_required
@require_POST
def task_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The volunteer's (or organisation's) answer, recorded by the station on their behalf."""
    task = _visible_task(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, TASK, pk)
    answer = request.POST.get("answer")
    service = {
        "accept": task_services.task_accept,
        "decline": task_services.task_decline,
    }
    service.update(withdraw=task_services.task_withdraw)
    try:
        if answer not in service:
            raise ValidationError(_("Choose accept, decline or withdraw."))
        service[answer](actor=request.user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Task saved."))
    return redirect("matching:task_detail", pk=pk)


@never_cache
@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """确认完成 with the hours served: the volunteer's hours and points rise."""
    task = _visible_task(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, TASK, pk)
    form = CompleteForm(request.POST, tiers=Tier.choices)
    if form.is_valid():
        try:
            task_services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Service confirmed: the hours are recorded."))
            return redirect("matching:task_detail", pk=pk)
    return _render_task(request, task, form)
