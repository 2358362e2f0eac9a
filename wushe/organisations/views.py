"""Pages for social organisations (社会组织): the list, an organisation with its incubation
periods, the forms, and entering or leaving an incubation base.

Every read starts from the user's subtree (the selectors); an organisation outside it is a
404, recorded as denied. Every write goes through the services with the signed-in user as
actor; a role that may not write gets 403, recorded.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.audit.models import Action
from wushe.audit.services import audit_denied
from wushe.core.views import add_service_errors, paginate, visible_or_404
from wushe.organisations import selectors, services
from wushe.organisations.credit_codes import describe_credit_code
from wushe.organisations.filtersets import OrganisationFilterSet
from wushe.organisations.forms import IncubationEnterForm, IncubationLeaveForm, OrganisationForm
from wushe.organisations.models import Organisation

ORGANISATION = "organisations.organisation"


def _require(request: HttpRequest, allowed: bool, action: str, pk="") -> None:
    """A role that may look but not change: 403, recorded (after the 404 for what is outside)."""
    if not allowed:
        audit_denied(actor=request.user, action=action, object_type=ORGANISATION, object_id=pk)
        raise PermissionDenied(_("Your role cannot change social organisations."))


def _visible(request: HttpRequest, pk: int, action: str) -> Organisation:
    organisations = selectors.organisation_list(user=request.user)
    return visible_or_404(request, organisations, action, pk=pk)


def _status(*forms) -> int:
    return 400 if any(form is not None and form.is_bound and form.errors for form in forms) else 200


@login_required
@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    filterset = OrganisationFilterSet(
        request.GET or None, queryset=selectors.organisation_list(user=request.user)
    )
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else filterset.queryset.none()
    context = {
        "filterset": filterset,
        "page": paginate(request, rows),
        "can_write": services.can_write(request.user),
    }
    return render(
        request, "organisations/organisation_list.html", context, status=200 if valid else 400
    )


def _save(request, form, organisation=None):
    """Run the service for a valid form; the saved organisation, or None with the errors put
    beside the fields."""
    data = dict(form.cleaned_data)
    try:
        if organisation is None:
            return services.organisation_register(actor=request.user, **data)
        return services.organisation_update(actor=request.user, organisation=organisation, **data)
    except ValidationError as error:
        add_service_errors(form, error)
    except PermissionDenied as error:  # a status change by a social worker
        form.add_error("status", str(error))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    _require(request, services.can_write(request.user), Action.CREATE)
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, user=request.user)
    if form.is_bound and form.is_valid() and (organisation := _save(request, form)):
        messages.success(request, _("Organisation %(name)s registered.") % {"name": organisation})
        return redirect("organisations:organisation_detail", pk=organisation.pk)
    context = {"form": form, "organisation": None}
    return render(request, "organisations/organisation_form.html", context, status=_status(form))


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible(request, pk, Action.UPDATE)
    _require(request, services.can_write(request.user), Action.UPDATE, pk)
    name = organisation.name  # the service changes the object even when it then refuses
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, user=request.user, organisation=organisation)
    if form.is_bound and form.is_valid() and _save(request, form, organisation):
        messages.success(request, _("Organisation %(name)s saved.") % {"name": organisation})
        return redirect("organisations:organisation_detail", pk=pk)
    context = {"form": form, "organisation": organisation, "name": name}
    return render(request, "organisations/organisation_form.html", context, status=_status(form))


@login_required
@require_GET
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _visible(request, pk, Action.VIEW))


def _render_detail(request: HttpRequest, organisation: Organisation, **forms) -> HttpResponse:
    user = request.user
    writer = services.can_write(user)
    today = timezone.localdate()
    authority, registered_as = describe_credit_code(organisation.credit_code)
    context = {
        "organisation": organisation,
        "authority": authority if organisation.credit_code else None,
        "registered_as": registered_as if organisation.credit_code else None,
        "incubations": selectors.organisation_incubations(user=user, organisation=organisation),
        "can_write": writer,
        "enter_form": forms.get("enter_form")
        or (IncubationEnterForm(user=user, initial={"entered_on": today}) if writer else None),
        "leave_form": forms.get("leave_form")
        or (IncubationLeaveForm(initial={"left_on": today}) if writer else None),
    }
    # The form that failed stays on the page with its errors, whatever the state now.
    leave_bound = context["leave_form"] is not None and context["leave_form"].is_bound
    enter_bound = context["enter_form"] is not None and context["enter_form"].is_bound
    context["show_leave"] = leave_bound or (organisation.incubating and not enter_bound)
    status = _status(*forms.values())
    return render(request, "organisations/organisation_detail.html", context, status=status)


@login_required
@require_POST
def incubation_enter(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible(request, pk, Action.UPDATE)
    _require(request, services.can_write(request.user), Action.UPDATE, pk)
    form = IncubationEnterForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.incubation_enter(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Entering the incubation base recorded."))
            return redirect("organisations:organisation_detail", pk=pk)
    return _render_detail(request, organisation, enter_form=form)


@login_required
@require_POST
def incubation_leave(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _visible(request, pk, Action.UPDATE)
    _require(request, services.can_write(request.user), Action.UPDATE, pk)
    form = IncubationLeaveForm(request.POST)
    if form.is_valid():
        try:
            services.incubation_leave(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Leaving the incubation base recorded."))
            return redirect("organisations:organisation_detail", pk=pk)
    return _render_detail(request, organisation, leave_form=form)
