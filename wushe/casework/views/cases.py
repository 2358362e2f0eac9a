"""Pages for case work (个案): the list, opening a case, and a case with its stage path, the
form its next stage requires and its service records."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.casework import case_services, selectors
from wushe.casework.case_services import CASE_TEXT_FIELDS
from wushe.casework.cases import ORDER, Stage
from wushe.casework.filtersets import CaseFilterSet
from wushe.casework.forms import AdvanceForm, CaseOpenForm, CaseRecordForm
from wushe.casework.models import Case
from wushe.casework.services import can_read_notes
from wushe.casework.views.common import (
    can_supervise,
    can_write,
    no_store,
    require_writer,
    status_of,
    visible_resident,
)
from wushe.core.views import add_service_errors, paginate, visible_or_404

CASE = "casework.case"


def _visible_case(request: HttpRequest, pk: int, action: str) -> Case:
    return visible_or_404(request, selectors.case_list(user=request.user), action, pk=pk)


@no_store
@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    filterset = CaseFilterSet(
        request.GET or None, queryset=selectors.case_list(user=request.user), request=request
    )
    valid = not filterset.is_bound or filterset.is_valid()
    cases = filterset.qs if valid else filterset.queryset.none()
    context = {"filterset": filterset, "page": paginate(request, cases)}
    return render(request, "casework/case_list.html", context, status=200 if valid else 400)


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest, resident_pk: int) -> HttpResponse:
    """接案 for a resident."""
    resident = visible_resident(request, resident_pk, Action.CREATE)
    require_writer(request, Action.CREATE, CASE)
    data = request.POST if request.method == "POST" else None
    form = CaseOpenForm(data, user=request.user)
    if form.is_bound and form.is_valid():
        try:
            case = case_services.case_open(
                actor=request.user, resident=resident, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case opened for %(name)s.") % {"name": resident.name})
            return redirect("casework:case_detail", pk=case.pk)
    context = {"form": form, "resident": resident}
    return render(request, "casework/case_form.html", context, status=status_of(form))


def _stage_path(case: Case) -> list[dict]:
    """接案 → 预估 → 计划 → 介入 → 评估 → 结案, each marked done, current or to come."""
    current = ORDER.index(Stage(case.stage))
    return [
        {
            "stage": stage,
            "state": "done" if i < current else "current" if i == current else "todo",
        }
        for i, stage in enumerate(ORDER)
    ]


def _render_detail(
    request: HttpRequest,
    case: Case,
    *,
    advance_form: AdvanceForm | None = None,
    record_form: CaseRecordForm | None = None,
) -> HttpResponse:
    user = request.user
    is_open = case.stage != Stage.CLOSED
    writer = can_write(user) and is_open
    if writer and advance_form is None:
        advance_form = AdvanceForm(case=case)
    target = advance_form.target if advance_form is not None else None
    # Closing needs a supervisor's sign-off: others see what it needs, not a form they
    # cannot send.
    may_advance = writer and (target != Stage.CLOSED or can_supervise(user))
    context = {
        "case": case,
        "case_texts": [
            (Case._meta.get_field(name).verbose_name, getattr(case, name))
            for name in CASE_TEXT_FIELDS
        ],
        "path": _stage_path(case),
        "records": selectors.case_records(user=user, case=case),
        "resident_visible": user.can_see_code(case.resident.region_id),
        "can_read_notes": can_read_notes(user),
        "target": target,
        "advance_form": advance_form if may_advance else None,
        "needs_supervisor": writer and not may_advance,
        # A refused record (say, on a case closed meanwhile) is shown with its errors.
        "record_form": record_form or (CaseRecordForm() if writer else None),
    }
    return render(
        request, "casework/case_detail.html", context, status=status_of(advance_form, record_form)
    )


@no_store
@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk, Action.VIEW)
    case_services.case_view(actor=request.user, case=case)
    return _render_detail(request, case)


@no_store
@login_required
@require_POST
def case_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the case to its next stage with the fields that stage requires."""
    case = _visible_case(request, pk, Action.UPDATE)
    require_writer(request, Action.UPDATE, CASE, pk)
    form = AdvanceForm(request.POST, case=case)
    if form.is_valid():
        try:
            case_services.case_advance(actor=request.user, case=case, **form.service_arguments())
        except PermissionDenied:
            audit_denied(actor=request.user, action=Action.UPDATE, object_type=CASE, object_id=pk)
            raise
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = Stage(case.stage).label
            messages.success(request, _("The case is now at “%(stage)s”.") % {"stage": label})
            return redirect("casework:case_detail", pk=pk)
    case = _visible_case(request, pk, Action.UPDATE)  # as it still is on file
    return _render_detail(request, case, advance_form=form)


@no_store
@login_required
@require_POST
def case_record_create(request: HttpRequest, pk: int) -> HttpResponse:
    """个案服务记录 on an open case."""
    case = _visible_case(request, pk, Action.CREATE)
    require_writer(request, Action.CREATE, CASE, pk)
    form = CaseRecordForm(request.POST)
    if form.is_valid():
        try:
            case_services.case_record_service(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Service recorded."))
            return redirect("casework:case_detail", pk=pk)
    return _render_detail(request, case, record_form=form)
