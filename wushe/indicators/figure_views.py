"""Pages of the entered figures (填报值) and targets (目标): scoped lists with filters, and the
forms of those who may write them (figures: administrators and managers; targets:
administrators). The import of figures is the imports app's page (kind indicator_values)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.api import parse_id
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.indicators import entries, selectors
from wushe.indicators.filtersets import EnteredValueFilterSet, TargetFilterSet
from wushe.indicators.forms import FigureForm, TargetForm


def _require(request: HttpRequest, allowed: bool, object_type: str, action: str, pk="") -> None:
    if not allowed:
        audit_denied(actor=request.user, action=action, object_type=object_type, object_id=str(pk))
        raise PermissionDenied(_("Your role cannot change this."))


def _listing(request, filterset_class, queryset, template: str, extra: dict) -> HttpResponse:
    filterset = filterset_class(request.GET or None, queryset=queryset)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else queryset.none()
    context = {"filter": filterset, "page": paginate(request, rows), **extra}
    return render(request, template, context, status=200 if valid else 400)


# Figures ---------------------------------------------------------------------------------------

FIGURE = "indicators.enteredvalue"


@login_required
@require_GET
def entered_list(request: HttpRequest) -> HttpResponse:
    extra = {"can_enter": entries.may_enter(request.user)}
    queryset = selectors.entered_value_list(user=request.user)
    return _listing(request, EnteredValueFilterSet, queryset, "indicators/entered_list.html", extra)


@login_required
@require_http_methods(["GET", "POST"])
def entered_create(request: HttpRequest) -> HttpResponse:
    _require(request, entries.may_enter(request.user), FIGURE, Action.CREATE)
    form = FigureForm(request.POST or None, user=request.user)
    return _save_figure(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def entered_edit(request: HttpRequest, pk: str) -> HttpResponse:
    found = selectors.entered_value_list(user=request.user)
    entered = visible_or_404(request, found, Action.UPDATE, pk=parse_id(pk))
    _require(request, entries.may_enter(request.user), FIGURE, Action.UPDATE, entered.pk)
    initial = {
        "region": entered.region,
        "year": entered.year,
        "element": entered.element_id,
        "value": f"{entered.value.normalize():f}",
        "note": entered.note,
    }
    form = FigureForm(request.POST or None, initial=initial, user=request.user)
    for name in ("region", "year", "element"):  # another key is another figure
        form.fields[name].disabled = True
    return _save_figure(request, form, entered)


def _save_figure(request: HttpRequest, form: FigureForm, entered=None) -> HttpResponse:
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        element = selectors.element_list(user=request.user).get(code=data["element"])
        try:
            entries.entered_value_set(
                actor=request.user,
                region=data["region"],
                year=data["year"],
                element=element,
                value=data["value"],
                note=data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Figure saved."))
            return redirect("indicators:entered_list")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "object": entered}
    return render(request, "indicators/entered_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entered_delete(request: HttpRequest, pk: str) -> HttpResponse:
    found = selectors.entered_value_list(user=request.user)
    entered = visible_or_404(request, found, Action.DELETE, pk=parse_id(pk))
    _require(request, entries.may_enter(request.user), FIGURE, Action.DELETE, entered.pk)
    if request.method == "POST":
        entries.entered_value_delete(actor=request.user, entered=entered)
        messages.success(request, _("Figure deleted."))
        return redirect("indicators:entered_list")
    context = {"object": entered, "back": reverse("indicators:entered_list")}
    return render(request, "indicators/confirm_delete.html", context)


# Targets ---------------------------------------------------------------------------------------

TARGET = "indicators.target"


@login_required
@require_GET
def target_list(request: HttpRequest) -> HttpResponse:
    extra = {"can_set": entries.may_set_targets(request.user)}
    queryset = selectors.target_list(user=request.user)
    return _listing(request, TargetFilterSet, queryset, "indicators/target_list.html", extra)


@login_required
@require_http_methods(["GET", "POST"])
def target_create(request: HttpRequest) -> HttpResponse:
    _require(request, entries.may_set_targets(request.user), TARGET, Action.CREATE)
    initial = {
        "indicator": request.GET.get("indicator", ""),
        "region": request.GET.get("region", ""),
    }
    form = TargetForm(request.POST or None, initial=initial, user=request.user)
    return _save_target(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def target_edit(request: HttpRequest, pk: str) -> HttpResponse:
    target = visible_or_404(
        request, selectors.target_list(user=request.user), Action.UPDATE, pk=parse_id(pk)
    )
    _require(request, entries.may_set_targets(request.user), TARGET, Action.UPDATE, target.pk)
    initial = {
        "region": target.region,
        "indicator": target.indicator.code,
        "year": target.year,
        "value": f"{target.value.normalize():f}",
        "base_year": target.base_year,
        "base_value": "" if target.base_value is None else f"{target.base_value.normalize():f}",
        "source": target.source,
    }
    form = TargetForm(request.POST or None, initial=initial, user=request.user)
    for name in ("region", "indicator", "year"):  # another key is another target
        form.fields[name].disabled = True
    return _save_target(request, form, target)


def _save_target(request: HttpRequest, form: TargetForm, target=None) -> HttpResponse:
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        data["indicator"] = selectors.indicator_list(user=request.user).get(code=data["indicator"])
        try:
            entries.target_set(actor=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Target saved."))
            return redirect("indicators:target_list")
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "object": target}
    return render(request, "indicators/target_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def target_delete(request: HttpRequest, pk: str) -> HttpResponse:
    target = visible_or_404(
        request, selectors.target_list(user=request.user), Action.DELETE, pk=parse_id(pk)
    )
    _require(request, entries.may_set_targets(request.user), TARGET, Action.DELETE, target.pk)
    if request.method == "POST":
        entries.target_delete(actor=request.user, target=target)
        messages.success(request, _("Target deleted."))
        return redirect("indicators:target_list")
    context = {"object": target, "back": reverse("indicators:target_list")}
    return render(request, "indicators/confirm_delete.html", context)
