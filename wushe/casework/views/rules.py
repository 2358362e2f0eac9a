"""Pages for visit frequencies (走访频次) and the overdue-visits list of a station or region."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied, audit_record
from wushe.casework import selectors, services
from wushe.casework.exports import overdue_workbook
from wushe.casework.forms import FrequencyForm, OverdueForm, RegionChoiceForm
from wushe.casework.models import VisitFrequency
from wushe.casework.views.common import XLSX_CONTENT_TYPE, can_supervise, no_store, status_of
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.regions.models import Region
from wushe.regions.selectors import user_root

RULE = "casework.visitfrequency"


def _chosen_region(request: HttpRequest, form_class=RegionChoiceForm):
    """The region asked for (``?region=``, or ``?station=`` on the overdue list) if valid and
    visible, else the user's own region."""
    form = form_class(request.GET or None, user=request.user)
    region = form.chosen() or user_root(request.user)
    if region is None:  # an account without a region sees nothing at all
        raise Http404
    return form, region


# Overdue visits ---------------------------------------------------------------------------------


@no_store
@login_required
@require_GET
def overdue_list(request: HttpRequest) -> HttpResponse:
    form, region = _chosen_region(request, OverdueForm)
    today = timezone.localdate()
    rows = selectors.overdue_visits(user=request.user, region=region, today=today)
    context = {"form": form, "region": region, "today": today, "page": paginate(request, rows)}
    return render(request, "casework/overdue_list.html", context, status=status_of(form))


@no_store
@login_required
@require_GET
def overdue_export(request: HttpRequest) -> HttpResponse:
    """The whole list (all pages) as .xlsx, as on screen; the export is audited."""
    form, region = _chosen_region(request, OverdueForm)
    if form.errors:
        return overdue_list(request)
    today = timezone.localdate()
    rows = selectors.overdue_visits(user=request.user, region=region, today=today)
    content = overdue_workbook(rows)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="casework.overdue",
        region_code=region.code,
        changes={"rows": len(rows), "region": region.code},
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    filename = f"overdue-visits-{region.code}-{today:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Visit frequencies ------------------------------------------------------------------------------


def _render_rules(request: HttpRequest, form: RegionChoiceForm, region: Region, rule_form=None):
    user = request.user
    if rule_form is None and can_supervise(user):
        rule_form = FrequencyForm(initial={"region": region}, user=user)
    below = selectors.frequency_list(user=user).within(region.subtree_range).exclude(region=region)
    context = {
        "form": form,
        "region": region,
        "rules": selectors.frequency_rules(user=user, region=region),
        "below": below,
        "rule_form": rule_form,
        "can_supervise": can_supervise(user),
    }
    status = status_of(form, rule_form)
    return render(request, "casework/frequency_list.html", context, status=status)


def _back_to_rules(region: Region) -> HttpResponse:
    url = reverse("casework:frequency_list")
    return redirect(f"{url}?{urlencode({'region': region.display_code})}")


def _require_supervisor(request: HttpRequest, action: str, obj_id="") -> None:
    if not can_supervise(request.user):
        audit_denied(actor=request.user, action=action, object_type=RULE, object_id=obj_id)
        raise PermissionDenied(
            _("Only an administrator or a station manager sets visit frequencies.")
        )


@no_store
@login_required
@require_GET
def frequency_list(request: HttpRequest) -> HttpResponse:
    """The rule in force for each category in a region: its own, inherited, or the default."""
    form, region = _chosen_region(request)
    return _render_rules(request, form, region)


@no_store
@login_required
@require_POST
def frequency_set(request: HttpRequest) -> HttpResponse:
    _require_supervisor(request, Action.UPDATE)
    rule_form = FrequencyForm(request.POST, user=request.user)
    if rule_form.is_valid():
        region = rule_form.cleaned_data["region"]
        try:
            services.frequency_set(actor=request.user, **rule_form.cleaned_data)
        except ValidationError as error:
            add_service_errors(rule_form, error)
        else:
            messages.success(request, _("Visit frequency saved."))
            return _back_to_rules(region)
    form = RegionChoiceForm(user=request.user)
    region = rule_form.cleaned_data.get("region") or user_root(request.user)
    if region is None:
        raise Http404
    return _render_rules(request, form, region, rule_form)


@no_store
@login_required
@require_POST
def frequency_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a region's own rule; the region then inherits the rule above or the default."""
    rules = VisitFrequency.objects.visible_to(request.user).select_related("region")
    rule = visible_or_404(request, rules, Action.DELETE, pk=pk)
    _require_supervisor(request, Action.DELETE, pk)
    region = rule.region
    services.frequency_delete(actor=request.user, rule=rule)
    messages.success(request, _("Visit frequency removed."))
    return _back_to_rules(region)
