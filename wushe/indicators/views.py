"""Pages of the indicator definitions: the list, an indicator with its values for a region
(and each child region, and by month), and the administrators' forms for indicators and data
elements. Reads go through the selectors (an indicator or region the user cannot see is a
404, recorded); writes through the services (their errors beside the fields)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, visible_or_404
from wushe.indicators import elements, selectors, services
from wushe.indicators.forms import ElementForm, IndicatorForm, ValueQueryForm
from wushe.indicators.models import DataElement
from wushe.indicators.periods import Period, add_months
from wushe.regions import selectors as regions
from wushe.regions.models import Region

TREND_MONTHS = 12


def _definition(request: HttpRequest, queryset, action: str, code: str):
    return visible_or_404(request, queryset, action, code=code)


def _require_definer(request: HttpRequest, region_code: str, action: str, obj=None) -> None:
    if not services.may_define(request.user, region_code):
        audit_denied(
            actor=request.user,
            action=action,
            object_type=(obj._meta.label_lower if obj else "indicators.indicator"),
            object_id=str(getattr(obj, "pk", "") or ""),
        )
        raise PermissionDenied(_("Only an administrator of this region can change definitions."))


def region_asked(request: HttpRequest, code: str | None) -> Region:
    """The region of a question (default: the user's own), if the user can see it; else 404."""
    if code is None:
        region = regions.user_root(request.user)
        if region is None:
            raise Http404
        return region
    return visible_or_404(request, Region.objects.visible_to(request.user), Action.VIEW, code=code)


# Indicators ------------------------------------------------------------------------------------


@login_required
@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    region = regions.user_root(request.user)
    context = {
        "indicators": selectors.indicator_list(user=request.user),
        "can_define": region is not None and services.may_define(request.user, region.code),
    }
    return render(request, "indicators/indicator_list.html", context)


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The definition, and its value for a region and period, by child and by month."""
    indicator = _definition(request, selectors.indicator_list(user=request.user), Action.VIEW, code)
    form = ValueQueryForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"indicator": indicator, "form": form}
        return render(request, "indicators/indicator_detail.html", context, status=400)
    cleaned = form.cleaned_data if form.is_bound else {}
    period = cleaned.get("period") or Period.current()
    region = region_asked(request, cleaned.get("region"))
    asked = {"user": request.user, "indicator": indicator, "region": region}
    trend = Period(add_months(period.end, 1 - TREND_MONTHS), period.end)
    total, children = selectors.indicator_with_children(**asked, period=period)
    context = {
        "total": total,
        "children": children,
        "indicator": indicator,
        "form": form if form.is_bound else ValueQueryForm(initial={"period": str(period)}),
        "region": region,
        "period": period,
        "ancestors": regions.region_ancestors(user=request.user, region=region),
        "trend": selectors.indicator_trend(**asked, period=trend),
        "can_define": services.may_define(request.user, indicator.region_code),
    }
    return render(request, "indicators/indicator_detail.html", context)


def _indicator_arguments(form: IndicatorForm) -> dict:
    data = dict(form.cleaned_data)
    data["denominator"] = data.get("denominator") or None
    return data


@login_required
@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest) -> HttpResponse:
    _require_definer(request, request.user.region_id or "", Action.CREATE)
    form = IndicatorForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            made = services.indicator_create(actor=request.user, **_indicator_arguments(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator %(name)s saved.") % {"name": made.name})
            return redirect("indicators:indicator_detail", code=made.code)
    return _render_form(request, "indicators/indicator_form.html", form, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, code: str) -> HttpResponse:
    visible = selectors.indicator_list(user=request.user)
    indicator = _definition(request, visible, Action.UPDATE, code)
    _require_definer(request, indicator.region_code, Action.UPDATE, indicator)
    initial = {
        name: getattr(indicator, name)
        for name in ("name_zh", "name_en", "unit", "direction", "description", "source")
    }
    initial |= {
        "numerator": indicator.numerator_id,
        "denominator": indicator.denominator_id or "",
        "factor": f"{indicator.factor.normalize():f}",
    }
    form = IndicatorForm(request.POST or None, initial=initial, editing=True)
    if form.is_bound and form.is_valid():
        try:
            services.indicator_update(
                actor=request.user, indicator=indicator, **_indicator_arguments(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Indicator %(name)s saved.") % {"name": indicator.name})
            return redirect("indicators:indicator_detail", code=indicator.code)
    return _render_form(request, "indicators/indicator_form.html", form, indicator)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_delete(request: HttpRequest, code: str) -> HttpResponse:
    visible = selectors.indicator_list(user=request.user)
    indicator = _definition(request, visible, Action.DELETE, code)
    _require_definer(request, indicator.region_code, Action.DELETE, indicator)
    error = None
    if request.method == "POST":
        try:
            services.indicator_delete(actor=request.user, indicator=indicator)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Indicator %(name)s deleted.") % {"name": indicator.name})
            return redirect("indicators:indicator_list")
    context = {
        "object": indicator,
        "error": error,
        "back": reverse("indicators:indicator_detail", args=[indicator.code]),
    }
    return render(request, "indicators/confirm_delete.html", context, status=400 if error else 200)


def _render_form(request, template: str, form, obj) -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "object": obj, "elements": _element_codes(request)}
    return render(request, template, context, status=status)


def _element_codes(request: HttpRequest) -> list[DataElement]:
    return list(selectors.element_list(user=request.user).only("code", "name_zh", "name_en"))


# Data elements ---------------------------------------------------------------------------------


@login_required
@require_GET
def element_list(request: HttpRequest) -> HttpResponse:
    found = list(selectors.element_list(user=request.user))
    for element in found:  # whether its app is there to compute it
        element.available = (
            element.is_entered or elements.element_function(element.code) is not None
        )
    region = regions.user_root(request.user)
    context = {
        "elements": found,
        "can_define": region is not None and services.may_define(request.user, region.code),
    }
    return render(request, "indicators/element_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def element_create(request: HttpRequest) -> HttpResponse:
    _require_definer(request, request.user.region_id or "", Action.CREATE)
    form = ElementForm(request.POST or None)
    if form.is_bound and form.is_valid():
        try:
            services.element_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data element saved."))
            return redirect("indicators:element_list")
    return _render_form(request, "indicators/element_form.html", form, None)


@login_required
@require_http_methods(["GET", "POST"])
def element_edit(request: HttpRequest, code: str) -> HttpResponse:
    element = _definition(request, selectors.element_list(user=request.user), Action.UPDATE, code)
    _require_definer(request, element.region_code, Action.UPDATE, element)
    fields = ("name_zh", "name_en", "unit", "description")
    initial = {name: getattr(element, name) for name in fields} | {"code": element.code}
    form = ElementForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if form.is_bound and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            services.element_update(actor=request.user, element=element, **changes)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Data element saved."))
            return redirect("indicators:element_list")
    return _render_form(request, "indicators/element_form.html", form, element)


@login_required
@require_http_methods(["GET", "POST"])
def element_delete(request: HttpRequest, code: str) -> HttpResponse:
    element = _definition(request, selectors.element_list(user=request.user), Action.DELETE, code)
    _require_definer(request, element.region_code, Action.DELETE, element)
    error = None
    if request.method == "POST":
        try:
            services.element_delete(actor=request.user, element=element)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("Data element deleted."))
            return redirect("indicators:element_list")
    context = {"object": element, "error": error, "back": reverse("indicators:element_list")}
    return render(request, "indicators/confirm_delete.html", context, status=400 if error else 200)
