"""Pages for referrals (转介): outgoing and incoming lists, a referral from a case, and one
referral with the forms its receiver (or, for a department, its sender) decides with.

Every read starts from ``Referral.objects.visible_to(user)`` (the sender's side or the
receiver's): anything else is a 404. The referred case is shown only to those
``rules.can_read_case`` allows, and each showing is an audited view. Every answer says
``Cache-Control: no-store``: the pages speak of a person's case.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.casework.models import Case
from wushe.casework.services import can_read_notes
from wushe.core.api import parse_id
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.referrals import rules, selectors, services
from wushe.referrals.choices import ReferralStatus
from wushe.referrals.forms import (
    DEPARTMENTS,
    DepartmentAnswerForm,
    ReferralDecisionForm,
    ReferralForm,
)
from wushe.referrals.models import Referral

REFERRAL = "referrals.referral"


def no_store(view):
    """``Cache-Control: no-store`` on every answer of the view, its 403s and 404s included."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as error:
            response = response_for_exception(request, error)
        add_never_cache_headers(response)
        return response

    return wrapped


def refuse(request: HttpRequest, action: str, object_type: str, obj_id: object = "") -> None:
    """403, recorded: a role that may not do this (after the 404 for what it cannot see)."""
    audit_denied(actor=request.user, action=action, object_type=object_type, object_id=obj_id)
    raise PermissionDenied(_("Your role cannot do this."))


def status_filter(request: HttpRequest, statuses) -> str:
    status = request.GET.get("status", "")
    return status if status in statuses else ""


# Lists ------------------------------------------------------------------------------------------


def _render_list(request: HttpRequest, referrals, box: str) -> HttpResponse:
    status = status_filter(request, ReferralStatus.values)
    if status:
        referrals = referrals.filter(status=status)
    page = paginate(request, referrals)
    rows = [(referral, rules.can_read_case(request.user, referral)) for referral in page]
    context = {
        "page": page,
        "rows": rows,
        "box": box,
        "status": status,
        "statuses": ReferralStatus.choices,
    }
    return render(request, "referrals/referral_list.html", context)


@no_store
@login_required
@require_GET
def referral_outgoing(request: HttpRequest) -> HttpResponse:
    return _render_list(request, selectors.referral_outgoing(user=request.user), "outgoing")


@no_store
@login_required
@require_GET
def referral_incoming(request: HttpRequest) -> HttpResponse:
    return _render_list(request, selectors.referral_incoming(user=request.user), "incoming")


# A new referral ---------------------------------------------------------------------------------


@no_store
@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest) -> HttpResponse:
    """转介 of one case: ``/referrals/new/?case=<pk>``, a case the user can see."""
    case_pk = parse_id(request.GET.get("case", ""))
    cases = Case.objects.visible_to(request.user).select_related("resident")
    case = visible_or_404(request, cases, Action.CREATE, pk=case_pk)
    if not rules.is_writer(request.user):
        refuse(request, Action.CREATE, REFERRAL, case_pk)
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, user=request.user, case=case)
    if form.is_bound and form.is_valid():
        try:
            referral = services.referral_create(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error, aliases={"case": "to_station"})
        else:
            messages.success(request, _("Referral sent."))
            return redirect("referrals:referral_detail", pk=referral.pk)
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "case": case, "departments": DEPARTMENTS}
    return render(request, "referrals/referral_form.html", context, status=status)


# One referral -----------------------------------------------------------------------------------


def _visible_referral(request: HttpRequest, pk: int, action: str) -> Referral:
    return visible_or_404(request, selectors.referral_list(user=request.user), action, pk=pk)


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    *,
    decision_form: ReferralDecisionForm | None = None,
    answer_form: DepartmentAnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    if decision_form is None and rules.can_decide_referral(user, referral):
        decision_form = ReferralDecisionForm(user=user, moves_file=referral.transfer_file)
    if answer_form is None and rules.can_answer_referral(user, referral):
        answer_form = DepartmentAnswerForm()
    context = {
        "referral": referral,
        "history": selectors.referral_case_history(user=user, referral=referral),
        "decision_form": decision_form,
        "answer_form": answer_form,
        "can_read_notes": can_read_notes(user),
    }
    return render(request, "referrals/referral_detail.html", context, status=status)


@no_store
@login_required
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible_referral(request, pk, Action.VIEW))


@no_store
@login_required
@require_POST
def referral_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """接收 or 退回 by the receiving station."""
    referral = _visible_referral(request, pk, Action.UPDATE)
    if not rules.is_receiver(request.user, referral):
        refuse(request, Action.UPDATE, REFERRAL, pk)
    form = ReferralDecisionForm(request.POST, user=request.user, moves_file=referral.transfer_file)
    if form.is_valid():
        try:
            services.referral_decide(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("referrals:referral_detail", pk=pk)
    return _render_detail(request, referral, decision_form=form, status=400)


@no_store
@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The department's answer, recorded by the sending station."""
    referral = _visible_referral(request, pk, Action.UPDATE)
    if not rules.records_department_answer(request.user, referral):
        refuse(request, Action.UPDATE, REFERRAL, pk)
    form = DepartmentAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.referral_record_department_answer(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The department's answer is recorded."))
            return redirect("referrals:referral_detail", pk=pk)
    return _render_detail(request, referral, answer_form=form, status=400)
